import type { CookieOptions, Request } from 'express';

/**
 * The cookie a signed-in member of staff's browser keeps: the session token,
 * which the store knows only by its hash. Over https it is a `__Host-` cookie
 * (Secure, Path=/, no Domain: no other host or path can set or shadow it).
 */
export function staffSessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https:') ? '__Host-vault_staff' : 'vault_staff';
}

/** HttpOnly, SameSite=Strict (never sent with another site's request), Secure over https. */
export function staffCookieOptions(publicUrl: string, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: publicUrl.startsWith('https:'), path: '/', ...(expires ? { expires } : {}) };
}

/** The token in the request's staff session cookie, if any. */
export function staffSessionToken(req: Request, publicUrl: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  const name = staffSessionCookieName(publicUrl);
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
