import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.js';
import { rateLimit } from '../middleware/rate-limit.js';
import type { HolderPrincipal } from '../../modules/holders/index.js';
import {
  authorizationResultPage,
  authorizationsPage,
  authorizePage,
  EMPTY_AUTHORIZE_FORM,
  EMPTY_SHARE_FORM,
  HOLDER_SCRIPT,
  HOLDER_STYLESHEET,
  licensePage,
  licensesPage,
  sharePage,
  shareResultPage,
  sharesPage,
  usagePage,
  welcomePage,
  type AuthorizeFormValues,
  type HolderPageBackends,
  type LicenseCard,
  type ShareFormValues,
} from '../pages/holder/index.js';
import {
  formNumber,
  formRefusalCode,
  formText,
  formValues,
  holderFormPost,
  keepOnce,
  keptOnce,
  refusalPage,
  seeOther,
  sendPage,
  signedInHolder,
  unavailablePage,
} from './holder-page-support.js';
import { mountRoutes, routeOf, type RouteDefinition } from './route.js';

export interface HolderPageDependencies {
  readonly publicUrl: string;
  readonly backends: HolderPageBackends;
  readonly clock: Clock;
  /** Authorizations, and share links, one holder's session may make per minute (a brake on a script). */
  readonly createsPerMinute: number;
}

const route = routeOf<HolderPageDependencies>();
const TAG = 'Holder pages';
const html = (description: string) => ({ description, content: { 'text/html': 'text' as const } });
const redirect = (description: string) => ({ description, content: { 'text/html': 'text' as const }, headers: { Location: 'The page that shows the outcome' } });
const SIGNED_OUT = 'Without a session: a 303 to /me.';
const FORM_POST =
  "A form post (application/x-www-form-urlencoded) from the vault's own pages: the Origin must be the vault's (else 403 ERR_ORIGIN_REFUSED); without a session, a 303 to /me and nothing changes.";

/** Confirmations after a change, named in the redirect's query. */
const NOTICES: Readonly<Record<string, string>> = {
  authorized: '已生成用证码。Authorization made.',
  withdrawn: '已撤销授权，此用证码不能再使用。Authorization withdrawn.',
  shared: '已生成分享链接。Share link made.',
  revoked: '已撤销分享，此链接不能再打开。Share link revoked.',
};

const ChosenLicenses = z
  .union([z.string().max(200), z.array(z.string().max(200)).max(50)])
  .optional()
  .describe('License identifiers to preselect');
const ChooseQuery = z.object({ license: ChosenLicenses });
const UsageQuery = z.object({ cursor: z.string().max(200).optional().describe('From 下一页: where the older entries start') });
const NoticeQuery = z.object({ done: z.string().max(20).optional().describe('Which change to confirm') });
const IdParams = z.object({ id: z.string().min(1).max(64) });
const IdentifierParams = z.object({ identifier: z.string().min(1).max(200) });

function notice(done: string | undefined): string | null {
  return done === undefined ? null : (NOTICES[done] ?? null);
}

/** The signed-in holder, or a 303 to /me (answered) and null. */
function holderOrSignIn(res: Response): HolderPrincipal | null {
  const principal = res.locals.holder ?? null;
  if (!principal) seeOther(res, '/me');
  return principal;
}

/** Licenses a holder may authorize or share: those in force. */
async function usableLicenses(deps: HolderPageDependencies, principal: HolderPrincipal): Promise<readonly LicenseCard[]> {
  return deps.backends.licenses ? (await deps.backends.licenses.list(principal)).filter((license) => license.status === 'active') : [];
}

function authorizeForm(body: Record<string, unknown>): AuthorizeFormValues {
  return {
    licenses: formValues(body.licenses),
    office: formText(body.office),
    serviceItem: formText(body.serviceItem),
    purpose: formText(body.purpose),
    lifetimeMinutes: formNumber(body.lifetimeMinutes, EMPTY_AUTHORIZE_FORM.lifetimeMinutes),
    uses: formNumber(body.uses, 1),
  };
}

function shareForm(body: Record<string, unknown>): ShareFormValues {
  return {
    licenses: formValues(body.licenses),
    recipient: formText(body.recipient),
    purpose: formText(body.purpose),
    lifetimeMinutes: formNumber(body.lifetimeMinutes, EMPTY_SHARE_FORM.lifetimeMinutes),
    oneTime: body.oneTime === '1',
  };
}

/** Runs `action`; a refusal the holder can meet becomes a page (true), anything else is thrown on. */
async function refused(res: Response, principal: HolderPrincipal, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!refusalPage(res, principal, error)) throw error;
  }
}

/** One window per session for the authorizations and share links it makes. */
function createLimit(deps: HolderPageDependencies) {
  return rateLimit({ limit: deps.createsPerMinute, windowMs: 60_000, clock: deps.clock, key: (_req, res) => `page:${(res.locals.holder as HolderPrincipal).sessionId}` });
}

function formBody(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

/** The holder pages at /me: server-rendered HTML, readable without JavaScript; changes are form posts answered with a redirect. */
export const HOLDER_PAGE_ROUTES: readonly RouteDefinition<HolderPageDependencies>[] = [
  route({
    method: 'get',
    path: '/me/holder.css',
    tag: TAG,
    summary: "The holder pages' stylesheet",
    description: 'Linked with a hash of its content in the query, so cached for a year.',
    roles: 'anyone',
    responses: { 200: { description: 'CSS', content: { 'text/css': 'text' } } },
    handle(_input, _req, res) {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.type('text/css').send(HOLDER_STYLESHEET);
    },
  }),
  route({
    method: 'get',
    path: '/me/holder.js',
    tag: TAG,
    summary: "The holder pages' script (a copy button; every page works without it)",
    roles: 'anyone',
    responses: { 200: { description: 'JavaScript', content: { 'application/javascript': 'text' } } },
    handle(_input, _req, res) {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.type('application/javascript').send(HOLDER_SCRIPT);
    },
  }),
  route({
    method: 'get',
    path: '/me',
    tag: TAG,
    summary: '我的证照: the signed-in holder’s licenses; signed out, what this is and how to sign in',
    roles: 'anyone',
    request: { query: NoticeQuery },
    responses: { 200: html('HTML page') },
    async handle({ query }, _req, res, deps) {
      const principal = res.locals.holder;
      if (!principal) return sendPage(res, welcomePage());
      if (!deps.backends.licenses) return unavailablePage(res, principal);
      sendPage(res, licensesPage(signedInHolder(principal), await deps.backends.licenses.list(principal), notice(query.done)));
    },
  }),
  route({
    method: 'get',
    path: '/me/licenses/:identifier',
    tag: TAG,
    summary: 'One of the holder’s licenses: its face, its details, 授权用证, 分享, 下载原件',
    description: `${SIGNED_OUT} Another holder's license, or none, is the same 404 page (the attempt is audited).`,
    roles: 'anyone',
    request: { params: IdentifierParams },
    responses: { 200: html('HTML page'), 404: html('Not found, or not yours') },
    async handle({ params }, _req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      const licenses = deps.backends.licenses;
      if (!licenses) return unavailablePage(res, principal);
      await refused(res, principal, async () => sendPage(res, licensePage(signedInHolder(principal), await licenses.read(principal, params.identifier))));
    },
  }),
  route({
    method: 'get',
    path: '/me/authorize',
    tag: TAG,
    summary: '授权用证: the form (licenses, office, 办理事项, 用证事由, 有效时长, uses)',
    description: SIGNED_OUT,
    roles: 'anyone',
    request: { query: ChooseQuery },
    responses: { 200: html('HTML page') },
    async handle({ query }, _req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      const authorizations = deps.backends.authorizations;
      if (!authorizations) return unavailablePage(res, principal);
      const values = { ...EMPTY_AUTHORIZE_FORM, licenses: formValues(query.license) };
      sendPage(res, authorizePage(signedInHolder(principal), await usableLicenses(deps, principal), await authorizations.offices(), values));
    },
  }),
  route({
    method: 'post',
    path: '/me/authorizations',
    tag: TAG,
    summary: '生成用证码: makes the authorization, then shows its code',
    description: `${FORM_POST} Refused input shows the form again with the reason (400), nothing made.`,
    roles: 'anyone',
    responses: { 303: redirect('To the new authorization’s page, which shows the 用证码 and its QR code'), 400: html('The form again, with what was refused') },
    before: (deps) => [...holderFormPost(deps.publicUrl), createLimit(deps)],
    async handle(_input, req, res, deps) {
      const principal = res.locals.holder as HolderPrincipal;
      const authorizations = deps.backends.authorizations;
      if (!authorizations) return unavailablePage(res, principal);
      const values = authorizeForm(formBody(req));
      try {
        const made = await authorizations.create(principal, { ...values, office: values.office === '' ? null : values.office });
        keepOnce(res, deps.publicUrl, { kind: 'authorization', id: made.id, secret: made.code });
        seeOther(res, `/me/authorizations/${encodeURIComponent(made.id)}?done=authorized`);
      } catch (error) {
        const code = formRefusalCode(error);
        if (code === null) throw error;
        const page = authorizePage(signedInHolder(principal), await usableLicenses(deps, principal), await authorizations.offices(), values, code);
        sendPage(res, page, 400);
      }
    },
  }),
  route({
    method: 'get',
    path: '/me/authorizations',
    tag: TAG,
    summary: '授权记录: live authorizations, each with 撤销授权, and those recently ended',
    description: SIGNED_OUT,
    roles: 'anyone',
    request: { query: NoticeQuery },
    responses: { 200: html('HTML page') },
    async handle({ query }, _req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      if (!deps.backends.authorizations) return unavailablePage(res, principal);
      sendPage(res, authorizationsPage(signedInHolder(principal), await deps.backends.authorizations.list(principal), notice(query.done)));
    },
  }),
  route({
    method: 'get',
    path: '/me/authorizations/:id',
    tag: TAG,
    summary: 'A new authorization: its 用证码, large, with its QR code, expiry and what it covers',
    description: `${SIGNED_OUT} The code is shown only in the browser that made it, for ten minutes (a cookie); otherwise a 303 to the list.`,
    roles: 'anyone',
    request: { params: IdParams, query: NoticeQuery },
    responses: { 200: html('HTML page'), 303: redirect('To 授权记录, when this browser has not the code') },
    async handle({ params, query }, req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      const authorizations = deps.backends.authorizations;
      if (!authorizations) return unavailablePage(res, principal);
      const code = keptOnce(req, 'authorization', params.id);
      const authorization = code === null ? undefined : (await authorizations.list(principal)).find((item) => item.id === params.id);
      if (code === null || authorization === undefined) return seeOther(res, '/me/authorizations');
      sendPage(res, authorizationResultPage(signedInHolder(principal), { authorization, code, qrSvg: await authorizations.qrSvg(code) }, notice(query.done)));
    },
  }),
  route({
    method: 'post',
    path: '/me/authorizations/:id/withdraw',
    tag: TAG,
    summary: '撤销授权: withdraws an authorization; its code stops working',
    description: FORM_POST,
    roles: 'anyone',
    request: { params: IdParams },
    responses: { 303: redirect('To 授权记录, which confirms it'), 404: html('No such authorization of this holder') },
    before: (deps) => holderFormPost(deps.publicUrl),
    async handle({ params }, _req, res, deps) {
      const principal = res.locals.holder as HolderPrincipal;
      const authorizations = deps.backends.authorizations;
      if (!authorizations) return unavailablePage(res, principal);
      await refused(res, principal, async () => {
        await authorizations.withdraw(principal, params.id);
        seeOther(res, '/me/authorizations?done=withdrawn');
      });
    },
  }),
  route({
    method: 'get',
    path: '/me/usage',
    tag: TAG,
    summary: '用证记录: every use of the holder’s licenses, newest first, a page at a time (下一页)',
    description: SIGNED_OUT,
    roles: 'anyone',
    request: { query: UsageQuery },
    responses: { 200: html('HTML page') },
    async handle({ query }, _req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      const usage = deps.backends.usage;
      if (!usage) return unavailablePage(res, principal);
      await refused(res, principal, async () =>
        sendPage(res, usagePage(signedInHolder(principal), { ...(await usage.read(principal, query.cursor)), paged: query.cursor !== undefined })),
      );
    },
  }),
  route({
    method: 'get',
    path: '/me/share',
    tag: TAG,
    summary: '分享: the form (licenses, 分享对象, 用证事由, 有效时长, one-time)',
    description: SIGNED_OUT,
    roles: 'anyone',
    request: { query: ChooseQuery },
    responses: { 200: html('HTML page') },
    async handle({ query }, _req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      if (!deps.backends.shares) return unavailablePage(res, principal);
      sendPage(res, sharePage(signedInHolder(principal), await usableLicenses(deps, principal), { ...EMPTY_SHARE_FORM, licenses: formValues(query.license) }));
    },
  }),
  route({
    method: 'post',
    path: '/me/shares',
    tag: TAG,
    summary: '分享: makes a share link, then shows it',
    description: `${FORM_POST} Refused input shows the form again with the reason (400), nothing made.`,
    roles: 'anyone',
    responses: { 303: redirect('To the new share’s page, which shows its link'), 400: html('The form again, with what was refused') },
    before: (deps) => [...holderFormPost(deps.publicUrl), createLimit(deps)],
    async handle(_input, req, res, deps) {
      const principal = res.locals.holder as HolderPrincipal;
      const shares = deps.backends.shares;
      if (!shares) return unavailablePage(res, principal);
      const values = shareForm(formBody(req));
      try {
        const made = await shares.create(principal, values);
        keepOnce(res, deps.publicUrl, { kind: 'share', id: made.id, secret: made.url });
        seeOther(res, `/me/shares/${encodeURIComponent(made.id)}?done=shared`);
      } catch (error) {
        const code = formRefusalCode(error);
        if (code === null) throw error;
        sendPage(res, sharePage(signedInHolder(principal), await usableLicenses(deps, principal), values, code), 400);
      }
    },
  }),
  route({
    method: 'get',
    path: '/me/shares',
    tag: TAG,
    summary: '分享记录: the holder’s share links, live ones with 撤销分享',
    description: SIGNED_OUT,
    roles: 'anyone',
    request: { query: NoticeQuery },
    responses: { 200: html('HTML page') },
    async handle({ query }, _req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      if (!deps.backends.shares) return unavailablePage(res, principal);
      sendPage(res, sharesPage(signedInHolder(principal), await deps.backends.shares.list(principal), notice(query.done)));
    },
  }),
  route({
    method: 'get',
    path: '/me/shares/:id',
    tag: TAG,
    summary: 'A new share link, to copy or show as a QR code',
    description: `${SIGNED_OUT} The link is shown only in the browser that made it, for ten minutes (a cookie); otherwise a 303 to the list.`,
    roles: 'anyone',
    request: { params: IdParams, query: NoticeQuery },
    responses: { 200: html('HTML page'), 303: redirect('To 分享记录, when this browser has not the link') },
    async handle({ params, query }, req, res, deps) {
      const principal = holderOrSignIn(res);
      if (!principal) return;
      const shares = deps.backends.shares;
      if (!shares) return unavailablePage(res, principal);
      const url = keptOnce(req, 'share', params.id);
      const share = url === null ? undefined : (await shares.list(principal)).find((item) => item.id === params.id);
      if (url === null || share === undefined) return seeOther(res, '/me/shares');
      sendPage(res, shareResultPage(signedInHolder(principal), { share, url, qrSvg: await shares.qrSvg(url) }, notice(query.done)));
    },
  }),
  route({
    method: 'post',
    path: '/me/shares/:id/revoke',
    tag: TAG,
    summary: '撤销分享: revokes a share link; it opens no more',
    description: FORM_POST,
    roles: 'anyone',
    request: { params: IdParams },
    responses: { 303: redirect('To 分享记录, which confirms it'), 404: html('No such share of this holder') },
    before: (deps) => holderFormPost(deps.publicUrl),
    async handle({ params }, _req, res, deps) {
      const principal = res.locals.holder as HolderPrincipal;
      const shares = deps.backends.shares;
      if (!shares) return unavailablePage(res, principal);
      await refused(res, principal, async () => {
        await shares.revoke(principal, params.id);
        seeOther(res, '/me/shares?done=revoked');
      });
    },
  }),
];

export function holderPageRoutes(deps: HolderPageDependencies) {
  return mountRoutes(HOLDER_PAGE_ROUTES, deps);
}
