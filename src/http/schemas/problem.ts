import { z } from 'zod';
import { ERROR_TITLES, type ErrorCode } from '../../shared/errors.js';
import { named } from './common.js';

const ERROR_CODES = Object.keys(ERROR_TITLES) as [ErrorCode, ...ErrorCode[]];

/** RFC 9457 problem details, extended with the stable code and the request id: every error the API answers. */
export const Problem = named(
  'Problem',
  z
    .strictObject({
      type: z.string().describe('urn:license-vault:problem:{code}'),
      title: z.string(),
      status: z.int().min(400).max(599),
      detail: z.string(),
      code: z.enum(ERROR_CODES).describe('Stable error code'),
      requestId: z.string().describe('Also in the X-Request-Id header; quote it when reporting a problem'),
      details: z.record(z.string(), z.unknown()).optional().describe('Facts about the failure (field names, limits, positions); never personal data'),
    })
    .describe('RFC 9457 problem details with a stable `code`'),
);
export type Problem = z.infer<typeof Problem>;
