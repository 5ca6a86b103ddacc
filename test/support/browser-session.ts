/** One cookie as a browser keeps it. */
interface StoredCookie {
  readonly value: string;
  readonly path: string;
  readonly attributes: string;
}

/**
 * A browser's cookies and redirects over real HTTP (fetch): cookies are kept
 * per name and path as Set-Cookie says (Max-Age=0 or a past Expires deletes),
 * and sent to requests whose path they cover. Enough of a browser to walk an
 * OpenID Connect sign-in through its redirects; no mock of anything.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(private readonly base: string) {}

  /** The Set-Cookie attributes (`HttpOnly; SameSite=Lax; Path=/`) of a kept cookie, for assertions. */
  cookie(name: string): StoredCookie | undefined {
    return [...this.cookies.entries()].find(([key]) => key.startsWith(`${name}\u0000`))?.[1];
  }

  /** Sends one request (no redirect followed), with the cookies that apply, keeping those it sets. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string>; cookie?: string } = {}): Promise<Response> {
    const target = new URL(url, this.base);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = init.cookie ?? this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.keep(line, target);
    return response;
  }

  /** Follows redirects from `url` until one leads to `until` (returned, not requested) or a response is not a redirect. */
  async follow(url: string, until: (location: URL) => boolean = () => false): Promise<{ response: Response; location: URL | null }> {
    let next = new URL(url, this.base);
    for (let hop = 0; hop < 10; hop++) {
      const response = await this.request(next.href);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return { response, location: null };
      await response.arrayBuffer();
      next = new URL(location, next);
      if (until(next)) return { response, location: next };
    }
    throw new Error(`more than 10 redirects from ${url}`);
  }

  private cookieHeader(target: URL): string {
    return [...this.cookies.entries()]
      .filter(([, cookie]) => target.pathname === cookie.path || target.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map(([key, cookie]) => `${key.split('\u0000')[0]}=${cookie.value}`)
      .join('; ');
  }

  private keep(line: string, target: URL): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    const attribute = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key.toLowerCase()}=`))?.split('=')[1];
    const path = attribute('Path') ?? (target.pathname.replace(/\/[^/]*$/, '') || '/');
    const expires = attribute('Expires');
    const gone = attribute('Max-Age') === '0' || (expires !== undefined && Date.parse(expires) <= Date.now()) || value === '';
    const key = `${name}\u0000${path}`;
    if (gone) this.cookies.delete(key);
    else this.cookies.set(key, { value, path, attributes: attributes.join('; ') });
  }
}
