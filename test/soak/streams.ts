import type autocannon from 'autocannon';
import { multipartPdf } from '../bench/bench-vault.js';
import type { LoadTarget } from '../bench/http-load.js';
import type { KeptToken } from './kept-token.js';
import type { SoakPopulation } from './population.js';

/** One kind of traffic of the soak: its own autocannon instance, running for the whole soak. */
export interface SoakStream {
  readonly name: string;
  /** What it sends, for the report. */
  readonly does: string;
  readonly connections: number;
  /** Requests per second over all its connections; as fast as they are answered when absent. */
  readonly perSecond?: number;
  /** 429s are planned for this stream: it sends more than the limit allows. */
  readonly expects429: boolean;
  readonly target: LoadTarget;
  /** Looks at an answer; false when a 2xx answer does not say what it must. */
  readonly check: (status: number, body: string, context: Record<string, unknown>) => boolean;
}

export interface SoakStreamSetup {
  readonly base: string;
  readonly population: SoakPopulation;
  readonly issuer: KeptToken;
  readonly clerk: KeptToken;
  /** A license PDF this vault issued (known bytes: status at once). */
  readonly knownPdf: Uint8Array;
  /** A license PDF it did not issue and must verify cryptographically. */
  readonly foreignPdf: Uint8Array;
  /** The vault's limit on anonymous verifications per client IP per minute. */
  readonly verificationsPerMinute: number;
}

/**
 * Client addresses each regular verification stream takes in turn. One
 * address reaches the per-IP limit only when its stream sends more than
 * ADDRESSES_PER_STREAM × limit / 60 requests per second (4,096/s at the
 * default 60 a minute): out of reach on this machine, so a 429 on a regular
 * stream is a failure.
 */
const ADDRESSES_PER_STREAM = 4096;
/** The greedy client's address (TEST-NET-3). */
const GREEDY_ADDRESS = '203.0.113.66';
/** How many times its allowance the greedy client asks for. */
const GREEDY_FACTOR = 10;
const PURPOSE = encodeURIComponent('办理入职审核');

/**
 * Addresses for regular stream `pool` in turn, from 198.18.0.0/15 (the
 * benchmarking range of RFC 2544), sent as X-Forwarded-For: the vault trusts
 * the loopback proxy, as it would trust its load balancer.
 */
function addressesInTurn(pool: number): () => string {
  let next = 0;
  return () => {
    const k = pool * ADDRESSES_PER_STREAM + (next++ % ADDRESSES_PER_STREAM);
    return `198.${18 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`;
  };
}

const is2xx = (status: number): boolean => status >= 200 && status < 300;

function jsonOf(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A check that every 2xx answer carries `result: expected` (or the result the request's context expects). */
function resultIs(expected: string): SoakStream['check'] {
  return (status, body, context) => !is2xx(status) || jsonOf(body)?.result === (context.expected ?? expected);
}

function withHeaders(request: autocannon.Request, headers: Record<string, string>): autocannon.Request {
  return { ...request, headers: { ...request.headers, ...headers } };
}

/**
 * The soak's traffic, with connections sized for two cores: issuance, a
 * clerk's look-ups, three kinds of verification from many clients, and one
 * greedy client asking for ten times its verification allowance, whose 429s
 * are planned.
 */
export function soakStreams(setup: SoakStreamSetup): SoakStream[] {
  const { base, population } = setup;
  const upload = { known: multipartPdf(setup.knownPdf), foreign: multipartPdf(setup.foreignPdf) };
  const uploadAddress = addressesInTurn(0);
  const linkAddress = addressesInTurn(1);
  const fieldsAddress = addressesInTurn(2);
  let uploads = 0;
  return [
    {
      name: 'issuance',
      does: 'POST /api/v1/licenses (教师资格证书), a new holder and a unique Idempotency-Key each time',
      connections: 2,
      expects429: false,
      target: {
        url: `${base}/api/v1/licenses`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        vary: (request, context) => {
          const { key, body } = population.nextIssuance();
          context.key = key;
          return { ...withHeaders(request, { authorization: setup.issuer.header, 'idempotency-key': key }), body };
        },
      },
      check: (status, body, context) => population.answered(String(context.key), status, body),
    },
    {
      name: 'look-up',
      does: 'GET /api/v1/holders/{id}/licenses with a purpose (clerk), for a holder issued so far',
      connections: 4,
      expects429: false,
      target: {
        url: base,
        vary: (request, context) => {
          const license = population.pick();
          context.identifier = license.identifier;
          return { ...withHeaders(request, { authorization: setup.clerk.header }), path: `/api/v1/holders/${license.holderId}/licenses?purpose=${PURPOSE}` };
        },
      },
      check: (status, body, context) =>
        !is2xx(status) || (Array.isArray(jsonOf(body)?.items) && (jsonOf(body)!.items as { identifier?: unknown }[]).some((item) => item.identifier === context.identifier)),
    },
    {
      name: 'verify: upload',
      does: 'POST /api/v1/verifications, in turn the PDF issued at start (authentic) and one signed elsewhere (not-issued-here, verified cryptographically)',
      connections: 2,
      expects429: false,
      target: {
        url: `${base}/api/v1/verifications`,
        method: 'POST',
        headers: { 'content-type': upload.known.contentType },
        vary: (request, context) => {
          const foreign = uploads++ % 2 === 1;
          context.expected = foreign ? 'not-issued-here' : 'authentic';
          return { ...withHeaders(request, { 'x-forwarded-for': uploadAddress() }), body: foreign ? upload.foreign.body : upload.known.body };
        },
      },
      check: resultIs('authentic'),
    },
    {
      name: 'verify: QR link',
      does: 'GET /v/{identifier}?c={code} for JSON, a license issued so far',
      connections: 1,
      expects429: false,
      target: {
        url: base,
        headers: { accept: 'application/json' },
        vary: (request) => {
          const license = population.pick();
          return { ...withHeaders(request, { 'x-forwarded-for': linkAddress() }), path: `/v/${license.identifier}?c=${license.code}` };
        },
      },
      check: resultIs('authentic'),
    },
    {
      name: 'verify: fields',
      does: 'POST /api/v1/verifications/fields: license number + holder name and number, a license issued so far',
      connections: 1,
      expects429: false,
      target: {
        url: `${base}/api/v1/verifications/fields`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        vary: (request) => {
          const license = population.pick();
          const body = JSON.stringify({ licenseNumber: license.licenseNumber, holderName: license.holderName, holderId: license.holderId });
          return { ...withHeaders(request, { 'x-forwarded-for': fieldsAddress() }), body };
        },
      },
      check: resultIs('consistent'),
    },
    {
      name: 'greedy verifier',
      does: `GET /v/{identifier}?c={code} for JSON from one client address, ${GREEDY_FACTOR}× its allowance of ${setup.verificationsPerMinute} a minute: 429s planned`,
      connections: 1,
      perSecond: Math.ceil((setup.verificationsPerMinute * GREEDY_FACTOR) / 60),
      expects429: true,
      target: {
        url: base,
        headers: { accept: 'application/json', 'x-forwarded-for': GREEDY_ADDRESS },
        vary: (request) => {
          const license = population.issued[0]!;
          return { ...request, path: `/v/${license.identifier}?c=${license.code}` };
        },
      },
      check: resultIs('authentic'),
    },
  ];
}
