import { z } from 'zod';
import { HOLDER_TYPES } from '../../modules/identity/index.js';
import { named } from './common.js';

/** The signed-in holder as their pages show them: the number masked (a shared screen is a public place). */
export const HolderSelf = named(
  'HolderSelf',
  z.strictObject({
    holder: z.strictObject({
      type: z.enum(HOLDER_TYPES),
      number: z.string().describe('Citizen ID masked (110105********002X); a credit code in full'),
      name: z.string().nullable().describe('As the identity platform gave it'),
    }),
  }),
);
export type HolderSelf = z.infer<typeof HolderSelf>;
