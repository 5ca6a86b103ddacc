import { z } from 'zod';
import { named } from './common.js';

export const Liveness = named('Liveness', z.strictObject({ status: z.literal('ok') }));
export const Readiness = named('Readiness', z.strictObject({ status: z.literal('ready'), store: z.string().describe('sqlite or mongodb') }));
