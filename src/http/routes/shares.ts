import type { Request, RequestHandler, Response } from 'express';
import type { HolderShares, ShareView } from '../../modules/shares/index.js';
import type { Clock } from '../../shared/clock.js';
import { isVaultError } from '../../shared/errors.js';
import { holderOf } from '../middleware/holder-session.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { originOf } from '../middleware/security-events.js';
import { isShareRefusal, oneTimeNoticePage, shareRefusalPage, sharePage } from '../pages/share-page.js';
import { STATUS_BY_CODE } from '../problem.js';
import type { Shape } from '../schemas/common.js';
import { Problem } from '../schemas/problem.js';
import { CreatedShare, Share, ShareCopyParams, ShareIdParams, ShareList, ShareRequest, SharedLicenses, ShareTokenParams } from '../schemas/shares.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface ShareRouteDependencies {
  readonly shares: HolderShares;
  readonly publicUrl: string;
  readonly clock: Clock;
  /** Openings of links (pages and copies) per client IP per minute. */
  readonly opensPerMinute: number;
}

interface ShareRouteContext {
  readonly shares: HolderShares;
  readonly publicUrl: string;
  /** One budget per client IP across the pages and copies of links. */
  readonly limit: RequestHandler;
}

const route = routeOf<ShareRouteContext>();
const TAG = 'Shares';
const page = { 'text/html': 'text' as const };

function shareOf(view: ShareView): Shape<typeof Share> {
  return view;
}

/** The headers of a link's answers: never cached, never indexed, and the link (a secret) never sent on as a referrer. */
function privateLinkHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.vary('Accept');
}

const wantsJson = (req: Request) => req.accepts(['text/html', 'application/json']) === 'application/json';

/** A refused link gets a page that says why, with its code, to people; problem+json (through the error handler) to programs. */
function refusedLink(req: Request, res: Response): (error: unknown) => void {
  return (error) => {
    if (!isVaultError(error) || !isShareRefusal(error.code) || wantsJson(req)) throw error;
    res.status(STATUS_BY_CODE[error.code]).type('html').send(shareRefusalPage(error.code));
  };
}

/** Opens the link (counted, audited) and answers the verdicts: a page, or JSON when asked for. */
async function openLink(token: string, req: Request, res: Response, deps: ShareRouteContext): Promise<void> {
  await deps.shares.open(token, originOf(req, res)).then(
    (opened) => {
      if (wantsJson(req)) {
        const { share } = opened;
        res.json({ recipient: share.recipient, purpose: share.purpose, expiresAt: share.expiresAt, oneTime: share.oneTime, licenses: opened.licenses } satisfies Shape<
          typeof SharedLicenses
        >);
        return;
      }
      const copyLink = deps.shares.makesCopies ? (identifier: string) => `/s/${encodeURIComponent(token)}/copies/${encodeURIComponent(identifier)}` : null;
      res.type('html').send(sharePage(opened, copyLink));
    },
    refusedLink(req, res),
  );
}

const refusals = {
  404: { description: 'ERR_SHARE_NOT_FOUND: no such link (a page for people, problem+json for programs)', content: { ...page, 'application/problem+json': Problem } },
  410: {
    description: 'ERR_SHARE_EXPIRED, ERR_SHARE_REVOKED or ERR_SHARE_USED (a one-time link opened before): the link no longer opens',
    content: { ...page, 'application/problem+json': Problem },
  },
};

/** The holder's share links (under /api/v1/me) and the links' own pages (/s/{token}). */
export const SHARE_ROUTES: readonly RouteDefinition<ShareRouteContext>[] = [
  route({
    method: 'post',
    path: '/api/v1/me/shares',
    tag: TAG,
    summary: 'Share licenses with a third party (a bank, an employer): a link',
    description:
      "The link is answered this once; the vault keeps only its SHA-256. It carries 256 random bits. Every license must be the holder's own: another's is 404 ERR_LICENSE_NOT_FOUND, as for none, and the attempt is audited as holder.access.denied. Audited as share.create.",
    roles: 'holder',
    request: { body: ShareRequest },
    responses: { 201: { description: 'The link, shown once', content: { 'application/json': CreatedShare } } },
    async handle({ body }, _req, res, deps) {
      const created = await deps.shares.create(holderOf(res), body);
      res
        .status(201)
        .json({ link: `${deps.publicUrl}/s/${created.token}`, expiresAt: created.share.expiresAt, share: shareOf(created.share) } satisfies Shape<typeof CreatedShare>);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/me/shares',
    tag: TAG,
    summary: "The holder's share links",
    description: 'Newest first: live ones, and those that ended (expired, revoked, used) in the last 7 days, each with its state.',
    roles: 'holder',
    responses: { 200: { description: 'The shares', content: { 'application/json': ShareList } } },
    async handle(_input, _req, res, deps) {
      res.json({ items: (await deps.shares.list(holderOf(res))).map(shareOf) } satisfies Shape<typeof ShareList>);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/me/shares/:id/revoke',
    tag: TAG,
    summary: 'Revoke a share link',
    description: "The link stops opening at once; revoking it again changes nothing. Another holder's share is 404 ERR_SHARE_NOT_FOUND, as for none. Audited as share.revoke.",
    roles: 'holder',
    request: { params: ShareIdParams },
    responses: { 200: { description: 'The share, revoked', content: { 'application/json': Share } } },
    async handle({ params }, _req, res, deps) {
      res.json(shareOf(await deps.shares.revoke(holderOf(res), params.id)) satisfies Shape<typeof Share>);
    },
  }),
  route({
    method: 'get',
    path: '/s/:token',
    tag: TAG,
    summary: 'Open a share link: each license’s verdict',
    description:
      'A page for people (Chinese first, readable without JavaScript); JSON with Accept: application/json. Each opening is audited as share.open for the holder’s usage record. A one-time link asked for a page (or HEAD) answers a notice with a button that opens it (POST), so that link previews do not use it up. Rate-limited per client IP. Sent with Referrer-Policy: no-referrer; the token is never logged.',
    roles: 'anyone',
    request: { params: ShareTokenParams },
    responses: { 200: { description: 'The shared licenses, or the notice of a one-time link', content: { 'application/json': SharedLicenses, ...page } }, ...refusals },
    before: (deps) => [deps.limit],
    async handle({ params }, req, res, deps) {
      privateLinkHeaders(res);
      if (wantsJson(req) && req.method === 'GET') {
        await openLink(params.token, req, res, deps);
        return;
      }
      const checked = await deps.shares.check(params.token, originOf(req, res)).catch(refusedLink(req, res));
      if (!checked) return;
      if (checked.oneTime || req.method === 'HEAD') res.type('html').send(oneTimeNoticePage());
      else await openLink(params.token, req, res, deps);
    },
  }),
  route({
    method: 'post',
    path: '/s/:token',
    tag: TAG,
    summary: 'Open a one-time share link (the button of its notice)',
    description: 'As GET, for a link of either kind: counts and audits the opening. Rate-limited per client IP with the GET.',
    roles: 'anyone',
    request: { params: ShareTokenParams },
    responses: { 200: { description: 'The shared licenses', content: { 'application/json': SharedLicenses, ...page } }, ...refusals },
    before: (deps) => [deps.limit],
    async handle({ params }, req, res, deps) {
      privateLinkHeaders(res);
      await openLink(params.token, req, res, deps);
    },
  }),
  route({
    method: 'get',
    path: '/s/:token/copies/:identifier',
    tag: TAG,
    summary: 'The annotated copy (加注件) of a shared license, made for this share',
    description:
      "Annotated for the share's recipient and purpose, valid until the share ends, signed by the vault. A one-time link gives copies for 30 minutes after its one opening. A license the share does not cover is 404 ERR_LICENSE_NOT_FOUND; 503 ERR_SHARE_COPY_UNAVAILABLE where the vault makes no copies. Rate-limited per client IP.",
    roles: 'anyone',
    request: { params: ShareCopyParams },
    responses: {
      200: { description: 'The signed annotated copy', content: { 'application/pdf': 'binary' }, headers: { 'Content-Disposition': 'attachment; filename=copy-{copyId}.pdf' } },
      ...refusals,
    },
    before: (deps) => [deps.limit],
    async handle({ params }, req, res, deps) {
      privateLinkHeaders(res);
      await deps.shares.copy(params.token, params.identifier, originOf(req, res)).then(
        (copy) => {
          res
            .type('application/pdf')
            .setHeader('Content-Disposition', `attachment; filename="copy-${copy.copyId}.pdf"`)
            .send(Buffer.from(copy.pdf.buffer, copy.pdf.byteOffset, copy.pdf.byteLength));
        },
        refusedLink(req, res),
      );
    },
  }),
];

const clientIp = (req: Request) => req.ip ?? 'unknown';

/** The share routes, the links' own limited per client IP. Mount before the bearer gate: holders use their session cookie, recipients nothing. */
export function shareRoutes(deps: ShareRouteDependencies) {
  return mountRoutes(
    SHARE_ROUTES,
    { shares: deps.shares, publicUrl: deps.publicUrl, limit: rateLimit({ limit: deps.opensPerMinute, windowMs: 60_000, clock: deps.clock, key: clientIp }) },
    { publicUrl: deps.publicUrl },
  );
}
