import { z } from 'zod';

/** A file name of the built console's assets: letters, digits, dashes, underscores and one extension. */
export const ConsoleAssetParams = z.strictObject({ name: z.string().regex(/^[\w-]{1,120}\.(?:js|css|svg|woff2|png)$/) });
