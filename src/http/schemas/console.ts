import { z } from 'zod';

/** A file name of the built console's assets (`index-Ab12.js`, `papaparse.min-Cd34.js`): dot-separated words, one known extension, no path. */
export const ConsoleAssetParams = z.strictObject({ name: z.string().regex(/^[\w-]+(?:\.[\w-]+)*\.(?:js|css|svg|woff2|png)$/) });
