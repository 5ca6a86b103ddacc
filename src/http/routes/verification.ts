import { Router, type ErrorRequestHandler } from 'express';
import multer from 'multer';
import type { LicenseSummary, LicenseVerification, VerificationResult } from '../../modules/verification/index.js';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.js';
import { RequestError } from '../../shared/errors.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { RESULT_TEXT } from '../pages/verdict-text.js';
import { VERIFY_PAGE, VERIFY_SCRIPT } from '../pages/verify-page.js';
import { parseInput } from '../schemas/parse.js';

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The verdict page for people: server-rendered, no script, readable on a phone. */
export function verdictPage(result: VerificationResult | 'not-found', license: LicenseSummary | undefined): string {
  const text = RESULT_TEXT[result];
  const rows: [string, string][] = license
    ? [
        ['证照类型 Type', license.licenseType.name ?? license.licenseType.code],
        ['证照编号 Number', license.licenseNumber],
        ['持证主体 Holder', `${license.holderName}（${license.holderId}）`],
        ['发证机关 Issuer', license.issuer.name],
        ['有效期 Validity', `${license.validFrom} — ${license.validUntil ?? '长期 no end'}`],
        ['电子证照标识 Identifier', license.identifier],
      ]
    : [];
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>电子证照核验结果 · License verification</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;margin:0;padding:1rem;background:#f6f6f4;color:#1a1a1a}
main{max-width:40rem;margin:auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002}
.verdict{font-size:1.6rem;font-weight:700;padding:.75rem 1rem;border-radius:.4rem}
.good{background:#e6f4ea;color:#0b6b2e}.bad{background:#fdecea;color:#a50e0e}.warn{background:#fff4e5;color:#8a4b00}
.en{display:block;font-size:1rem;font-weight:400}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin-top:1rem;word-break:break-all}
dt{color:#555}
</style>
</head>
<body>
<main>
<h1>电子证照核验 <small>License verification</small></h1>
<p class="verdict ${text.tone}" data-result="${result}">${text.zh}<span class="en">${text.en}</span></p>
${rows.length > 0 ? `<dl>${rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>` : ''}
</main>
</body>
</html>
`;
}

export const FieldCheckRequest = z
  .object({
    identifier: z.string().min(1).max(200).optional(),
    licenseNumber: z.string().min(1).max(60).optional(),
    holderName: z.string().min(1).max(200),
    holderId: z.string().min(1).max(40),
  })
  .strict()
  .refine((body) => (body.identifier === undefined) !== (body.licenseNumber === undefined), 'give identifier or licenseNumber, one of them');

/** Anonymous verification: upload a PDF, follow the QR link, or check fields; limited per client IP. */
export function verificationRoutes(verification: LicenseVerification, options: { readonly perMinute: number; readonly clock: Clock }): Router {
  const router = Router();
  const limit = rateLimit({ limit: options.perMinute, windowMs: 60_000, clock: options.clock, key: (req) => req.ip ?? 'unknown' });
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 2 } }).single('file');

  router.get('/verify', (_req, res) => {
    res.type('html').send(VERIFY_PAGE);
  });
  router.get('/verify/verify.js', (_req, res) => {
    res.type('application/javascript').send(VERIFY_SCRIPT);
  });

  router.post('/api/v1/verifications/fields', limit, async (req, res) => {
    const body = parseInput(FieldCheckRequest, req.body);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await verification.checkFields(body));
  });

  router.post('/api/v1/verifications', limit, upload, async (req, res) => {
    const file = req.file;
    if (!file) throw new RequestError('ERR_REQUEST_INVALID', 'send the PDF as the multipart field "file"', { field: 'file' });
    if (!file.buffer.subarray(0, 1024).includes(PDF_MAGIC)) throw new RequestError('ERR_PDF_INVALID', 'the file does not start like a PDF', { field: 'file' });
    res.setHeader('Cache-Control', 'no-store');
    res.json(await verification.verifyFile(file.buffer));
  });

  router.get('/v/:identifier', limit, async (req, res) => {
    const code = typeof req.query.c === 'string' ? req.query.c : '';
    const identifier = typeof req.params.identifier === 'string' ? req.params.identifier : '';
    const verdict = await verification.verifyCode(identifier, code);
    res.setHeader('Cache-Control', 'no-store');
    res.vary('Accept');
    const result = verdict?.result ?? 'not-found';
    const status = verdict ? 200 : 404;
    if (req.accepts(['text/html', 'application/json']) === 'application/json') {
      res.status(status).json(verdict ?? { result: 'not-found', valid: false });
      return;
    }
    res.status(status).type('html').send(verdictPage(result, verdict?.license));
  });

  // multer's own errors (too large, unexpected field) become problems with stable codes.
  const uploadErrors: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
    if (error instanceof multer.MulterError) {
      next(
        error.code === 'LIMIT_FILE_SIZE'
          ? new RequestError('ERR_REQUEST_TOO_LARGE', 'the file is larger than 10 MiB')
          : new RequestError('ERR_REQUEST_INVALID', `upload refused: ${error.message}`, { field: error.field ?? 'file' }),
      );
      return;
    }
    next(error);
  };
  router.use(uploadErrors);
  return router;
}
