import { z } from 'zod';
import { MAX_SECRET_LENGTH } from '../../modules/auth/index.js';
import { named } from './common.js';

export const TokenRequest = z.strictObject({
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(1).max(MAX_SECRET_LENGTH),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export const AccessToken = named(
  'AccessToken',
  z.strictObject({
    accessToken: z.string().describe('JWT (ES256): send as Authorization: Bearer <token>'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int().min(1).describe('Seconds until it expires'),
  }),
);
export type AccessToken = z.infer<typeof AccessToken>;
