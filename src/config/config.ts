import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ADMINISTRATOR_ROLES, ROLES, type Role } from '../modules/auth/index.js';
import { ISSUANCE_POINTS, type IssuancePoint } from '../modules/licenses/index.js';
import { ConfigError } from '../shared/errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const claimName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/, 'must be a claim name (letters, digits, _ . : -, at most 100 characters)');

/**
 * Every environment variable the vault reads, with its default. This table is
 * the single source of truth: `.env.example` and the README list the same.
 */
const Environment = z.object({
  NODE_ENV: nonEmpty.optional(),
  PORT: integer(0, 65535).default(3000),
  HOST: nonEmpty.default('0.0.0.0'),
  VAULT_DATA_DIR: nonEmpty.default('./data'),
  VAULT_CERTS_DIR: nonEmpty.default('./certs'),
  VAULT_CHECKPOINT_DIR: nonEmpty.optional(),
  VAULT_CHECKPOINT_SECONDS: integer(1, 3600).default(10),
  VAULT_TEMPLATES_DIR: nonEmpty.default('./templates'),
  VAULT_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((url) => !URL.canParse(url) || (!new URL(url).search && !new URL(url).hash), 'must not have a query or fragment')
    .optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// connection string')
    .optional(),
  VAULT_P12_PASSWORD: z.string().min(8, 'must have at least 8 characters').optional(),
  VAULT_DEV_PKI: z.enum(['auto', 'off']).default('auto'),
  VAULT_SIGNER: z.enum(['p12', 'pkcs11']).default('p12'),
  VAULT_PKCS11_LIBRARY: nonEmpty.optional(),
  VAULT_PKCS11_TOKEN_LABEL: nonEmpty.refine((label) => Buffer.byteLength(label) <= 32, 'must be at most 32 bytes (a PKCS#11 token label)').optional(),
  VAULT_PKCS11_PIN: z.string().optional(),
  VAULT_DEMO_SETUP: z.enum(['auto', 'off']).default('auto'),
  VAULT_HOLDER_OIDC_ISSUER: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((url) => !URL.canParse(url) || (!new URL(url).search && !new URL(url).hash), 'must not have a query or fragment')
    .optional(),
  VAULT_HOLDER_OIDC_CLIENT_ID: nonEmpty.optional(),
  VAULT_HOLDER_OIDC_CLIENT_SECRET: z.string().optional(),
  VAULT_HOLDER_OIDC_SCOPE: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be scope names separated by single spaces')
    .refine((scope) => scope.split(' ').includes('openid'), 'must include openid')
    .default('openid profile'),
  VAULT_HOLDER_OIDC_CITIZEN_CLAIM: claimName.default('id_card_number'),
  VAULT_HOLDER_OIDC_ORGANIZATION_CLAIM: claimName.default('credit_code'),
  VAULT_HOLDER_OIDC_NAME_CLAIM: claimName.default('name'),
  VAULT_TOKEN_TTL_SECONDS: integer(60, 3600).default(900),
  VAULT_LOOKUPS_PER_MINUTE: integer(1, 1_000_000).default(120),
  VAULT_LOOKUP_POLICY: z.enum(['number', 'consent']).default('number'),
  VAULT_VERIFICATIONS_PER_MINUTE: integer(1, 1_000_000).default(60),
  VAULT_FIELD_CHECKS_PER_MINUTE: integer(1, 1_000_000).default(10),
  VAULT_FIELD_CHECKS_PER_DAY: integer(1, 1_000_000).default(100),
  VAULT_UPLOADS_IN_FLIGHT_PER_CLIENT: integer(1, 1_000_000).default(2),
  VAULT_TOKEN_REQUESTS_PER_MINUTE: integer(1, 1_000_000).default(20),
  VAULT_HOLDER_SESSION_MINUTES: integer(5, 720).default(30),
  VAULT_STAFF_TOTP_ROLES: z
    .string()
    .transform((list) => list.split(',').map((role) => role.trim()))
    .pipe(z.array(z.enum(ROLES, { error: `must be a comma-separated list of ${ROLES.join(', ')}` })))
    .refine((roles) => ADMINISTRATOR_ROLES.every((role) => roles.includes(role)), {
      error: `must include ${ADMINISTRATOR_ROLES.join(', ')}: administrators and auditors always sign in with a one-time password (MLPS level 3)`,
    })
    .default([...ROLES]),
  VAULT_STAFF_LOCKOUT_FAILURES: integer(1, 100).default(5),
  VAULT_STAFF_LOCKOUT_MINUTES: integer(1, 1440).default(15),
  VAULT_STAFF_IDLE_MINUTES: integer(1, 240).default(15),
  VAULT_STAFF_SESSION_HOURS: integer(1, 24).default(8),
  VAULT_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/, 'must be true, false, a hop count, or addresses/subnets')
    .default('false'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  VAULT_JSON_LIMIT_BYTES: integer(1024, 64 * 1024 * 1024).default(2 * 1024 * 1024),
  VAULT_SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  VAULT_WORKER_THREADS: integer(1, 64).optional(),
  VAULT_FAILPOINT: z
    .string()
    .regex(new RegExp(`^(${ISSUANCE_POINTS.join('|')})(:[1-9][0-9]{0,5})?$`), `must be one of ${ISSUANCE_POINTS.join(', ')}, optionally followed by :N`)
    .transform((value) => {
      const [point, hit] = value.split(':');
      return { point: point as IssuancePoint, hit: hit === undefined ? 1 : Number(hit) };
    })
    .optional(),
});

/** The name of every variable the vault reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Environment.shape);

/** The vault's typed, validated, frozen configuration. */
export interface Config {
  /** NODE_ENV=production: the vault refuses to start with development defaults (composition/production-checks.ts). */
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly certsDir: string;
  /**
   * Where the vault keeps signed checkpoints of its audit head and counters:
   * outside the data directory (by default beside it, `{dataDir}-checkpoints`),
   * ideally on other storage, so that a restored store can be compared with them.
   */
  readonly checkpointDir: string;
  /** How often a checkpoint is taken when the audit log has moved. */
  readonly checkpointSeconds: number;
  readonly templatesDir: string;
  /** Base of the links printed in QR codes and API responses, without a trailing slash. */
  readonly publicUrl: string;
  /** `sqlite` (embedded default) unless MONGODB_URI is set. */
  readonly store: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'mongo'; readonly uri: string };
  /** Password of the PKCS#12 key stores under certsDir; unset in development (see devPki). */
  readonly p12Password: string | undefined;
  /** Where department signing keys live: `p12` key stores under certsDir, or a PKCS#11 token (`pkcs11`). */
  readonly signer: 'p12' | 'pkcs11';
  /**
   * The PKCS#11 token, as far as it is configured: required in full when
   * `signer` is `pkcs11` (see {@link requirePkcs11}) and by
   * `license-vault pki department --pkcs11`.
   */
  readonly pkcs11: Readonly<Partial<Pkcs11Settings>>;
  /**
   * `auto`: on the embedded store with no PKI yet, create a development PKI
   * (root CA, trust entry, demo department key) on first start. `off`: never.
   */
  readonly devPki: 'auto' | 'off';
  /**
   * `auto`: on the embedded store with no accounts yet, create a demo
   * department and one account per role on first start, writing their
   * credentials to `{dataDir}/demo-credentials.json`. `off`: never.
   */
  readonly demoSetup: 'auto' | 'off';
  /** How holders sign in (OpenID Connect); see {@link HolderOidcSettings}. */
  readonly holderOidc: HolderOidcSettings;
  /** Lifetime of access tokens, in seconds. */
  readonly tokenTtlSeconds: number;
  /** Holder look-ups allowed per account per minute (per API node). */
  readonly lookupsPerMinute: number;
  /**
   * `number`: a clerk looks a holder up by ID number with a purpose (and
   * service item), audited. `consent`: a clerk reaches a holder's licenses
   * only by redeeming the holder's 用证码; look-ups by number are refused.
   */
  readonly lookupPolicy: 'number' | 'consent';
  /** Anonymous uploads and QR links allowed per client IP per minute (per API node). */
  readonly verificationsPerMinute: number;
  /** Anonymous field checks allowed per client IP per minute, counted apart from the other verifications (per API node). */
  readonly fieldChecksPerMinute: number;
  /** The same per day, so that slow, steady guessing of ID numbers stays slow. */
  readonly fieldChecksPerDay: number;
  /** Uploads one client IP may have being read or verified at once. */
  readonly uploadsInFlightPerClient: number;
  /** Token requests allowed per client IP per minute (per API node), checked before any secret is. */
  readonly tokenRequestsPerMinute: number;
  /** How long a holder stays signed in after signing in, in minutes. */
  readonly holderSessionMinutes: number;
  /** How staff sign in to the console; see {@link StaffSignInSettings}. */
  readonly staff: StaffSignInSettings;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe when telling client IPs apart. */
  readonly trustProxy: boolean | number | string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly jsonLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  /** Worker threads that render licenses and verify uploaded files; by default one per CPU. */
  readonly workerThreads: number;
  /** Crash tests only: the process kills itself (SIGKILL) the `hit`-th time an issuance reaches `point`. */
  readonly failpoint: { readonly point: IssuancePoint; readonly hit: number } | null;
}

/**
 * Parses the environment once at start. An empty variable counts as unset. A
 * bad value throws ERR_CONFIG_INVALID naming the variable (never its value
 * when that could hold a secret, as MONGODB_URI can).
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key in Environment.shape && value !== undefined && value !== ''));
  const parsed = Environment.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError('ERR_CONFIG_INVALID', `${variable}: ${issue?.message ?? 'invalid'}`, { variable });
  }
  const e = parsed.data;
  if (e.VAULT_SIGNER === 'pkcs11')
    requirePkcs11({ pkcs11: { library: e.VAULT_PKCS11_LIBRARY, tokenLabel: e.VAULT_PKCS11_TOKEN_LABEL, pin: e.VAULT_PKCS11_PIN } }, 'VAULT_SIGNER=pkcs11');
  const dataDir = resolve(cwd, e.VAULT_DATA_DIR);
  const holderOidc = holderOidcOf(e);
  return Object.freeze({
    production: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    dataDir,
    certsDir: resolve(cwd, e.VAULT_CERTS_DIR),
    checkpointDir: e.VAULT_CHECKPOINT_DIR === undefined ? `${dataDir}-checkpoints` : resolve(cwd, e.VAULT_CHECKPOINT_DIR),
    checkpointSeconds: e.VAULT_CHECKPOINT_SECONDS,
    templatesDir: resolve(cwd, e.VAULT_TEMPLATES_DIR),
    publicUrl: (e.VAULT_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    store: Object.freeze(e.MONGODB_URI ? { kind: 'mongo' as const, uri: e.MONGODB_URI } : { kind: 'sqlite' as const, file: resolve(dataDir, 'vault.db') }),
    p12Password: e.VAULT_P12_PASSWORD,
    devPki: e.VAULT_DEV_PKI,
    signer: e.VAULT_SIGNER,
    pkcs11: Object.freeze({
      ...(e.VAULT_PKCS11_LIBRARY === undefined ? {} : { library: e.VAULT_PKCS11_LIBRARY }),
      ...(e.VAULT_PKCS11_TOKEN_LABEL === undefined ? {} : { tokenLabel: e.VAULT_PKCS11_TOKEN_LABEL }),
      ...(e.VAULT_PKCS11_PIN === undefined ? {} : { pin: e.VAULT_PKCS11_PIN }),
    }),
    demoSetup: e.VAULT_DEMO_SETUP,
    holderOidc,
    tokenTtlSeconds: e.VAULT_TOKEN_TTL_SECONDS,
    lookupsPerMinute: e.VAULT_LOOKUPS_PER_MINUTE,
    lookupPolicy: e.VAULT_LOOKUP_POLICY,
    verificationsPerMinute: e.VAULT_VERIFICATIONS_PER_MINUTE,
    fieldChecksPerMinute: e.VAULT_FIELD_CHECKS_PER_MINUTE,
    fieldChecksPerDay: e.VAULT_FIELD_CHECKS_PER_DAY,
    uploadsInFlightPerClient: e.VAULT_UPLOADS_IN_FLIGHT_PER_CLIENT,
    tokenRequestsPerMinute: e.VAULT_TOKEN_REQUESTS_PER_MINUTE,
    holderSessionMinutes: e.VAULT_HOLDER_SESSION_MINUTES,
    staff: Object.freeze({
      totpRoles: Object.freeze([...new Set(e.VAULT_STAFF_TOTP_ROLES)]),
      lockoutFailures: e.VAULT_STAFF_LOCKOUT_FAILURES,
      lockoutMinutes: e.VAULT_STAFF_LOCKOUT_MINUTES,
      idleMinutes: e.VAULT_STAFF_IDLE_MINUTES,
      sessionHours: e.VAULT_STAFF_SESSION_HOURS,
    }),
    trustProxy:
      e.VAULT_TRUST_PROXY === 'true' ? true : e.VAULT_TRUST_PROXY === 'false' ? false : /^\d+$/.test(e.VAULT_TRUST_PROXY) ? Number(e.VAULT_TRUST_PROXY) : e.VAULT_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    jsonLimitBytes: e.VAULT_JSON_LIMIT_BYTES,
    shutdownTimeoutMs: e.VAULT_SHUTDOWN_TIMEOUT_MS,
    workerThreads: e.VAULT_WORKER_THREADS ?? availableParallelism(),
    failpoint: e.VAULT_FAILPOINT ?? null,
  });
}

/** Staff sign-in to the console: who needs a one-time password, lockout, session lifetimes. */
export interface StaffSignInSettings {
  /** Roles that sign in with a one-time password (VAULT_STAFF_TOTP_ROLES, all by default; sysadmin, secadmin and auditor always). */
  readonly totpRoles: readonly Role[];
  /** Failed sign-ins under one user name that lock it (VAULT_STAFF_LOCKOUT_FAILURES)… */
  readonly lockoutFailures: number;
  /** …within this many minutes, locked until they have passed (VAULT_STAFF_LOCKOUT_MINUTES). */
  readonly lockoutMinutes: number;
  /** A session unused this long ends (VAULT_STAFF_IDLE_MINUTES). */
  readonly idleMinutes: number;
  /** A session ends this long after sign-in whatever happens (VAULT_STAFF_SESSION_HOURS). */
  readonly sessionHours: number;
}

/**
 * The province's identity platform (统一身份认证) the vault sends holders to,
 * as its OpenID Connect relying party, and which claims name the holder.
 */
export interface HolderOidcSettings {
  /**
   * The platform, when one is configured (VAULT_HOLDER_OIDC_ISSUER, _CLIENT_ID,
   * _CLIENT_SECRET: all three or none). Without one, the embedded store with
   * VAULT_DEMO_SETUP=auto runs its own development provider at /dev-idp, and
   * otherwise holders cannot sign in.
   */
  readonly issuer: { readonly url: string; readonly clientId: string; readonly clientSecret: string } | null;
  /** Scopes asked for, space-separated, `openid` among them. */
  readonly scope: string;
  readonly claims: { readonly citizen: string; readonly organization: string; readonly name: string };
}

const HOLDER_OIDC_VARIABLES = ['VAULT_HOLDER_OIDC_ISSUER', 'VAULT_HOLDER_OIDC_CLIENT_ID', 'VAULT_HOLDER_OIDC_CLIENT_SECRET'] as const;

function holderOidcOf(e: z.output<typeof Environment>): HolderOidcSettings {
  const given = HOLDER_OIDC_VARIABLES.filter((variable) => e[variable] !== undefined);
  const missing = HOLDER_OIDC_VARIABLES.find((variable) => e[variable] === undefined);
  if (given.length > 0 && missing !== undefined) throw new ConfigError('ERR_CONFIG_INVALID', `${missing}: required with ${given.join(', ')}`, { variable: missing });
  const claims = Object.freeze({ citizen: e.VAULT_HOLDER_OIDC_CITIZEN_CLAIM, organization: e.VAULT_HOLDER_OIDC_ORGANIZATION_CLAIM, name: e.VAULT_HOLDER_OIDC_NAME_CLAIM });
  if (claims.citizen === claims.organization)
    throw new ConfigError('ERR_CONFIG_INVALID', 'VAULT_HOLDER_OIDC_ORGANIZATION_CLAIM: must differ from VAULT_HOLDER_OIDC_CITIZEN_CLAIM', {
      variable: 'VAULT_HOLDER_OIDC_ORGANIZATION_CLAIM',
    });
  const issuer =
    e.VAULT_HOLDER_OIDC_ISSUER === undefined || e.VAULT_HOLDER_OIDC_CLIENT_ID === undefined || e.VAULT_HOLDER_OIDC_CLIENT_SECRET === undefined
      ? null
      : Object.freeze({ url: e.VAULT_HOLDER_OIDC_ISSUER, clientId: e.VAULT_HOLDER_OIDC_CLIENT_ID, clientSecret: e.VAULT_HOLDER_OIDC_CLIENT_SECRET });
  return Object.freeze({ issuer, scope: e.VAULT_HOLDER_OIDC_SCOPE, claims });
}

/** The PKCS#11 module, token and PIN that hold the departments' keys. */
export interface Pkcs11Settings {
  /** Path of the vendor's PKCS#11 shared library (VAULT_PKCS11_LIBRARY). */
  readonly library: string;
  /** Label of the token holding the keys (VAULT_PKCS11_TOKEN_LABEL). */
  readonly tokenLabel: string;
  /** The token's user PIN (VAULT_PKCS11_PIN): a secret, never logged. */
  readonly pin: string;
}

const PKCS11_VARIABLES = { library: 'VAULT_PKCS11_LIBRARY', tokenLabel: 'VAULT_PKCS11_TOKEN_LABEL', pin: 'VAULT_PKCS11_PIN' } as const;

/**
 * The PKCS#11 settings in full, or ERR_CONFIG_INVALID naming the first
 * variable missing and what needs it (`why`).
 */
export function requirePkcs11(config: Pick<Config, 'pkcs11'>, why: string): Pkcs11Settings {
  for (const [key, variable] of Object.entries(PKCS11_VARIABLES) as [keyof Pkcs11Settings, string][]) {
    if (config.pkcs11[key] === undefined) throw new ConfigError('ERR_CONFIG_INVALID', `${variable}: required with ${why}`, { variable });
  }
  return config.pkcs11 as Pkcs11Settings;
}
