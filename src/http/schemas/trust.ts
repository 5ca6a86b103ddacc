import { z } from 'zod';
import { isoInstant, named } from './common.js';

export const TrustedRoot = named(
  'TrustedRoot',
  z.strictObject({
    subject: z.string(),
    issuer: z.string(),
    serialNumber: z.string().describe('Upper-case hex'),
    fingerprint256: z.string().describe('Lower-case hex SHA-256 of the DER certificate'),
    notBefore: isoInstant,
    notAfter: isoInstant,
    pem: z.string(),
  }),
);
export const TrustedRoots = named('TrustedRoots', z.strictObject({ roots: z.array(TrustedRoot) }));
export type TrustedRoots = z.infer<typeof TrustedRoots>;
