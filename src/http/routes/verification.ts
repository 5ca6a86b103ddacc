import type { Request, RequestHandler, Response } from 'express';
import type { CodeVerification, CopySummary, LicenseSummary, LicenseVerification, VerificationResult } from '../../modules/verification/index.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { RequestError } from '../../shared/errors.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { copyRows, copyVerdictText, RESULT_TEXT } from '../pages/verdict-text.js';
import { VERIFY_PAGE, VERIFY_SCRIPT } from '../pages/verify-page.js';
import type { Shape } from '../schemas/common.js';
import { CopyQrParams } from '../schemas/copies.js';
import { FieldCheckRequest, FieldCheckResult, FileVerdict, QrParams, QrQuery, QrVerdict } from '../schemas/verification.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';
import { pdfUpload, uploadsInFlight } from './verification-uploads.js';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The verdict page for people: server-rendered, no script, readable on a phone. */
export function verdictPage(result: VerificationResult | 'not-found', license: LicenseSummary | undefined, copy?: CopySummary): string {
  const text = copy ? copyVerdictText(result, copy) : RESULT_TEXT[result];
  const rows: [string, string][] = [...(copy ? copyRows(copy) : [])];
  if (license)
    rows.push(
      ['证照类型 Type', license.licenseType.name ?? license.licenseType.code],
      ['证照编号 Number', license.licenseNumber],
      ['持证主体 Holder', `${license.holderName}（${license.holderId}）`],
      ['发证机关 Issuer', license.issuer.name],
      ['有效期 Validity', `${license.validFrom} — ${license.validUntil ?? '长期 no end'}`],
      ['电子证照标识 Identifier', license.identifier],
    );
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
@media (max-width:30rem){dl{grid-template-columns:1fr;gap:.1rem}dd{margin:0 0 .5rem}}
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

interface VerificationRouteContext {
  readonly verification: LicenseVerification;
  /** One budget per client IP across uploads and QR links. */
  readonly limit: RequestHandler;
  /** Field checks' own, stricter budgets per client IP. */
  readonly fieldCheckLimits: readonly RequestHandler[];
  /** At most a few uploads per client IP at once. */
  readonly uploadSlot: RequestHandler;
  readonly upload: RequestHandler;
}

const route = routeOf<VerificationRouteContext>();

/** A QR link's answer: a page for people, JSON for programs; an unknown license or copy and a wrong code answer alike. */
function sendQrVerdict(req: Request, res: Response, verdict: CodeVerification | null): void {
  res.setHeader('Cache-Control', 'no-store');
  res.vary('Accept');
  const status = verdict ? 200 : 404;
  if (req.accepts(['text/html', 'application/json']) === 'application/json') {
    res.status(status).json((verdict ?? { result: 'not-found', valid: false }) satisfies Shape<typeof QrVerdict>);
    return;
  }
  res
    .status(status)
    .type('html')
    .send(verdictPage(verdict?.result ?? 'not-found', verdict?.license, verdict?.copy));
}
const TAG = 'Verification';
const html = (description: string) => ({ description, content: { 'text/html': 'text' as const } });

/** Anonymous verification: upload a PDF, follow the QR link, or check fields; limited per client IP. */
export const VERIFICATION_ROUTES: readonly RouteDefinition<VerificationRouteContext>[] = [
  route({
    method: 'get',
    path: '/verify',
    tag: TAG,
    summary: 'The verification page for people (upload a PDF or type a license number)',
    roles: 'anyone',
    responses: { 200: html('HTML page') },
    handle(_input, _req, res) {
      res.type('html').send(VERIFY_PAGE);
    },
  }),
  route({
    method: 'get',
    path: '/verify/verify.js',
    tag: TAG,
    summary: "The verification page's script",
    roles: 'anyone',
    responses: { 200: { description: 'JavaScript', content: { 'application/javascript': 'text' } } },
    handle(_input, _req, res) {
      res.type('application/javascript').send(VERIFY_SCRIPT);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/verifications/fields',
    tag: TAG,
    summary: 'Check a license number or identifier against a holder',
    description:
      'For offices holding only paper or a photo. `consistent` with the masked summary when name and number both match; otherwise `inconsistent`, the one answer for a wrong name, a wrong number or no such license, so that it teaches nothing about either. Limited per client IP on a budget of its own, stricter than the other verifications (a minute and a day).',
    roles: 'anyone',
    request: { body: FieldCheckRequest },
    responses: { 200: { description: 'consistent, or inconsistent naming nothing', content: { 'application/json': FieldCheckResult } } },
    before: (deps) => deps.fieldCheckLimits,
    async handle({ body }, _req, res, deps) {
      res.json((await deps.verification.checkFields(body)) satisfies Shape<typeof FieldCheckResult>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/verifications',
    tag: TAG,
    summary: 'Verify a PDF',
    description:
      'Exact bytes the vault issued → the status; otherwise the signature is verified (whole-file coverage, digest, chain to the trust roots, certificate validity). Hostile input yields a verdict; a suspended or revoked license shows its status and the date it changed, never the reason. At most 10 MiB; rate-limited per client IP, and only a few uploads from one client at a time (429 before the body is read); a body that is not readable multipart is 400 ERR_UPLOAD_MALFORMED.',
    roles: 'anyone',
    request: { upload: { field: 'file', mediaType: 'application/pdf', description: 'The PDF to verify' } },
    responses: {
      200: {
        description: 'The verdict, with every check and its reason (an annotated copy: authentic-copy or copy-expired, with the copy and its original)',
        content: { 'application/json': FileVerdict },
      },
    },
    before: (deps) => [deps.limit, deps.uploadSlot, deps.upload],
    async handle(_input, req, res, deps) {
      const file = req.file;
      if (!file) throw new RequestError('ERR_REQUEST_INVALID', 'send the PDF as the multipart field "file"', { field: 'file' });
      if (!file.buffer.subarray(0, 1024).includes(PDF_MAGIC)) throw new RequestError('ERR_PDF_INVALID', 'the file does not start like a PDF', { field: 'file' });
      res.json((await deps.verification.verifyFile(file.buffer)) satisfies Shape<typeof FileVerdict>);
    },
  }),
  route({
    method: 'get',
    path: '/v/:identifier',
    tag: TAG,
    summary: 'The QR link: status and a masked summary',
    description: 'A page for people; JSON with Accept: application/json. An unknown identifier and a wrong code give the same 404. Rate-limited per client IP.',
    roles: 'anyone',
    request: { params: QrParams, query: QrQuery },
    responses: {
      200: { description: 'The verdict', content: { 'application/json': QrVerdict, 'text/html': 'text' } },
      404: { description: 'No license with this identifier and code', content: { 'application/json': QrVerdict, 'text/html': 'text' } },
    },
    before: (deps) => [deps.limit],
    async handle({ params, query }, req, res, deps) {
      sendQrVerdict(req, res, await deps.verification.verifyCode(params.identifier, query.c ?? ''));
    },
  }),
  route({
    method: 'get',
    path: '/v/copy/:copyId',
    tag: TAG,
    summary: 'An annotated copy’s QR link (加注件): who took it, for what, until when, and its original’s status now',
    description:
      'A page for people; JSON with Accept: application/json. `authentic-copy` (valid only while its original is in force) or `copy-expired` after its validity. An unknown id and a wrong code give the same 404. Rate-limited per client IP with the other QR links.',
    roles: 'anyone',
    request: { params: CopyQrParams, query: QrQuery },
    responses: {
      200: { description: 'The verdict', content: { 'application/json': QrVerdict, 'text/html': 'text' } },
      404: { description: 'No copy with this id and code', content: { 'application/json': QrVerdict, 'text/html': 'text' } },
    },
    before: (deps) => [deps.limit],
    async handle({ params, query }, req, res, deps) {
      sendQrVerdict(req, res, await deps.verification.verifyCopyCode(params.copyId, query.c ?? ''));
    },
  }),
];

/** How much anonymous verification one client IP gets. */
export interface VerificationLimits {
  /** Uploads and QR links per minute. */
  readonly perMinute: number;
  /** Field checks per minute, counted apart. */
  readonly fieldChecksPerMinute: number;
  /** Field checks per day, against slow, steady guessing. */
  readonly fieldChecksPerDay: number;
  /** Uploads being read or verified at once. */
  readonly uploadsInFlight: number;
}

const clientIp = (req: Request) => req.ip ?? 'unknown';

/** The verification routes, mounted with their limits per client IP and the upload reader. */
export function verificationRoutes(verification: LicenseVerification, options: VerificationLimits & { readonly clock: Clock; readonly logger: Logger }) {
  const { clock } = options;
  return mountRoutes(VERIFICATION_ROUTES, {
    verification,
    limit: rateLimit({ limit: options.perMinute, windowMs: 60_000, clock, key: clientIp }),
    fieldCheckLimits: [
      rateLimit({ limit: options.fieldChecksPerMinute, windowMs: 60_000, clock, key: clientIp }),
      rateLimit({ limit: options.fieldChecksPerDay, windowMs: 86_400_000, clock, key: clientIp }),
    ],
    uploadSlot: uploadsInFlight({ limit: options.uploadsInFlight, key: clientIp }),
    upload: pdfUpload(options.logger),
  });
}
