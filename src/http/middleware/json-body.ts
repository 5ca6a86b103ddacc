import express, { type RequestHandler } from 'express';
import '../locals.js';

/** Largest JSON body a route open to anyone reads (the token request, a field check), whatever VAULT_JSON_LIMIT_BYTES says. */
export const ANONYMOUS_JSON_LIMIT_BYTES = 16 * 1024;

/** Deepest nesting of arrays and objects a JSON body may have; the vault's own requests need fewer than 6 levels. */
export const JSON_MAX_DEPTH = 32;

/** Keys that could reach an object's prototype are refused as malformed JSON, whatever schema follows. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new SyntaxError(`forbidden key ${key}`);
  return value;
}

/**
 * Whether UTF-8 JSON text nests arrays and objects deeper than `max`, found by
 * one scan of its bytes without parsing. Quote, backslash and brackets are
 * ASCII, and UTF-8 never uses their bytes inside a multi-byte character.
 */
export function jsonNestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > max) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return false;
}

/** body-parser's `verify`: runs on the raw bytes before JSON.parse; the error's `type` names the refusal (middleware/errors.ts). */
function refuseDeepOrNotUtf8(_req: unknown, _res: unknown, bytes: Buffer, encoding: string): void {
  // RFC 8259 §8.1: JSON between systems is UTF-8; another charset would also hide brackets from the scan.
  if (encoding.toLowerCase() !== 'utf-8') throw Object.assign(new Error('JSON must be UTF-8'), { type: 'charset.unsupported' });
  if (jsonNestsDeeperThan(bytes, JSON_MAX_DEPTH)) throw Object.assign(new Error('JSON nested too deeply'), { type: 'entity.too.deep' });
}

const parsers = new Map<number, RequestHandler>();

function jsonParser(limitBytes: number): RequestHandler {
  let parser = parsers.get(limitBytes);
  if (!parser) {
    parser = express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'], verify: refuseDeepOrNotUtf8, reviver: refusePrototypeKeys });
    parsers.set(limitBytes, parser);
  }
  return parser;
}

/**
 * Reads a route's JSON body into `req.body`: at most {@link ANONYMOUS_JSON_LIMIT_BYTES}
 * on a route open to anyone, else the app's limit (`res.locals.jsonLimitBytes`);
 * too large (413), nested too deeply or not UTF-8 are refused before anything is parsed.
 * Mounted per route after the role check, so a caller without a token costs no parsing.
 */
export function jsonBody(access: 'anyone' | 'authenticated'): RequestHandler {
  return (req, res, next) => {
    const configured = res.locals.jsonLimitBytes ?? ANONYMOUS_JSON_LIMIT_BYTES;
    jsonParser(access === 'anyone' ? Math.min(configured, ANONYMOUS_JSON_LIMIT_BYTES) : configured)(req, res, next);
  };
}
