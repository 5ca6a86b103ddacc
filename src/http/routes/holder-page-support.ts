import express, { type Request, type RequestHandler, type Response } from 'express';
import type { HolderPrincipal } from '../../modules/holders/index.js';
import { maskHolderNumber } from '../../modules/identity/index.js';
import { isVaultError, PermissionError } from '../../shared/errors.js';
import { messagePage, type SignedInHolder } from '../pages/holder/index.js';
import { holderCookieOptions } from '../middleware/holder-session.js';
import { STATUS_BY_CODE } from '../problem.js';

/** How the header names the signed-in holder. */
export function signedInHolder(principal: HolderPrincipal): SignedInHolder {
  return { name: principal.name, maskedNumber: maskHolderNumber(principal.holder) };
}

/**
 * Personal pages: no cache keeps them. Their referrer policy is `same-origin`, not helmet's `no-referrer`: under
 * `no-referrer` a browser sends `Origin: null` with a form post, which the Origin check must refuse; the pages'
 * addresses carry no secret, and no other site is told them.
 */
export function sendPage(res: Response, html: string, status = 200): void {
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.type('html').send(html);
}

/** POST-redirect-GET: a 303 to the page that shows the outcome, so that a reload never repeats the change. */
export function seeOther(res: Response, location: string): void {
  res.redirect(303, location);
}

/**
 * Before a form post is read: the vault's own Origin (browsers send it on form posts), else 403 ERR_ORIGIN_REFUSED;
 * then a live session, else back to /me (nothing changed). The form body is read only after both.
 */
export function holderFormPost(publicUrl: string): RequestHandler[] {
  const ownOrigin = new URL(publicUrl).origin;
  return [
    (req, res, next) => {
      if (req.headers.origin !== ownOrigin) throw new PermissionError('ERR_ORIGIN_REFUSED');
      if (!res.locals.holder) {
        seeOther(res, '/me');
        return;
      }
      next();
    },
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }),
  ];
}

/** The values of a form field that may repeat (checkboxes), at most `max`. */
export function formValues(value: unknown, max = 50): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string').slice(0, max);
}

export function formText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function formNumber(value: unknown, fallback: number): number {
  const number = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(number) ? number : fallback;
}

/** The request's cookie `name`, if any. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * What a change gave out once (a 用证码, a share link's secret) is kept for the page after the redirect in a cookie
 * only this browser has (HttpOnly, SameSite=Strict, under /me, ten minutes): the store keeps only hashes.
 */
const ONCE_COOKIE = 'vault_holder_once';
const ONCE_SECONDS = 600;

export interface OnceValue {
  readonly kind: 'authorization' | 'share';
  readonly id: string;
  readonly secret: string;
}

export function keepOnce(res: Response, publicUrl: string, value: OnceValue): void {
  const options = holderCookieOptions(publicUrl);
  res.cookie(ONCE_COOKIE, Buffer.from(JSON.stringify(value)).toString('base64url'), { ...options, sameSite: 'strict', path: '/me', maxAge: ONCE_SECONDS * 1000 });
}

/** Forgets whatever code or link this browser kept to show again (at sign-out: the next person at the screen must not see it). */
export function forgetKept(res: Response, publicUrl: string): void {
  res.clearCookie(ONCE_COOKIE, { ...holderCookieOptions(publicUrl), sameSite: 'strict', path: '/me' });
}

/** The secret kept for `kind` and `id`, if this browser has it. */
export function keptOnce(req: Request, kind: OnceValue['kind'], id: string): string | null {
  const raw = cookieValue(req, ONCE_COOKIE);
  if (raw === undefined || raw.length > 2000) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<OnceValue>;
    return value.kind === kind && value.id === id && typeof value.secret === 'string' ? value.secret : null;
  } catch {
    return null;
  }
}

/** The stable code of a refusal the holder can answer by changing the form (a 4xx other than 403), or null for anything else. */
export function formRefusalCode(error: unknown): string | null {
  if (!isVaultError(error)) return null;
  const status = STATUS_BY_CODE[error.code];
  return status >= 400 && status < 500 && status !== 403 ? error.code : null;
}

/**
 * A refusal a holder can meet on a page (a license not theirs, an authorization gone, bad input) as a page in plain
 * Chinese with its code; anything else goes on to the error handler.
 */
export function refusalPage(res: Response, principal: HolderPrincipal | null, error: unknown): boolean {
  if (!isVaultError(error)) return false;
  const status = STATUS_BY_CODE[error.code];
  if (status >= 500 || status === 403) return false;
  const title = status === 404 ? '没有找到' : '未能完成';
  const text = status === 404 ? '您要找的内容不存在，或不属于您。Not found, or not yours.' : '请检查后重试。Please check and try again.';
  sendPage(res, messagePage(principal ? signedInHolder(principal) : null, title, text, error.code), status);
  return true;
}

/** A page whose back end this vault does not run (yet). */
export function unavailablePage(res: Response, principal: HolderPrincipal): void {
  sendPage(res, messagePage(signedInHolder(principal), '暂未开放', '此功能暂未开放，请稍后再试。This part is not open yet.'), 503);
}
