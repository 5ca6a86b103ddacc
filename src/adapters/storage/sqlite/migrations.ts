import type { Database } from 'better-sqlite3';
import { StoreError } from '../../../shared/errors.js';

/**
 * Schema versions, applied in order at start. Never edit a shipped migration:
 * add the next one. Each runs in one transaction with its version row.
 */
const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE licenses (
        identifier TEXT PRIMARY KEY,
        license_number TEXT NOT NULL,
        type_code TEXT NOT NULL,
        serial TEXT NOT NULL,
        version INTEGER NOT NULL,
        issuer_credit_code TEXT NOT NULL,
        issuer_name TEXT NOT NULL,
        holder_type TEXT NOT NULL CHECK (holder_type IN ('citizen', 'organization')),
        holder_number TEXT NOT NULL,
        holder_name TEXT NOT NULL,
        division_code TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT,
        fields TEXT NOT NULL,
        template_version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked', 'superseded')),
        status_reason TEXT,
        status_changed_at TEXT,
        supersedes TEXT,
        revision INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        certificate_fingerprint TEXT NOT NULL,
        verification_code TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX licenses_by_sha256 ON licenses (sha256);
      CREATE UNIQUE INDEX licenses_by_number ON licenses (issuer_credit_code, license_number);
      CREATE UNIQUE INDEX licenses_by_serial ON licenses (type_code, issuer_credit_code, serial, version);
      CREATE INDEX licenses_by_holder_status ON licenses (holder_type, holder_number, status, issued_at);
      CREATE INDEX licenses_by_holder ON licenses (holder_type, holder_number, issued_at, identifier);

      CREATE TABLE license_files (
        identifier TEXT PRIMARY KEY REFERENCES licenses (identifier),
        sha256 TEXT NOT NULL,
        bytes BLOB NOT NULL
      ) STRICT;

      CREATE TABLE serial_counters (
        type_code TEXT NOT NULL,
        issuer_credit_code TEXT NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (type_code, issuer_credit_code)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;

      CREATE TABLE license_types (
        code TEXT PRIMARY KEY,
        body TEXT NOT NULL
      ) STRICT;

      CREATE TABLE departments (
        credit_code TEXT PRIMARY KEY,
        body TEXT NOT NULL
      ) STRICT;

      CREATE TABLE accounts (
        client_id TEXT PRIMARY KEY,
        body TEXT NOT NULL
      ) STRICT;

      CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        result_ref TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    sql: `CREATE INDEX licenses_by_license_number ON licenses (license_number);`,
  },
  {
    version: 3,
    sql: `
      CREATE TABLE serial_reservations (
        type_code TEXT NOT NULL,
        issuer_credit_code TEXT NOT NULL,
        value INTEGER NOT NULL,
        reserved_at TEXT NOT NULL,
        PRIMARY KEY (type_code, issuer_credit_code, value)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    // The license-type table was never read (the catalogue is the template directory); counters hold scopes, not only type codes.
    version: 4,
    sql: `
      DROP TABLE license_types;
      ALTER TABLE serial_counters RENAME COLUMN type_code TO scope;
      ALTER TABLE serial_reservations RENAME COLUMN type_code TO scope;
    `,
  },
  {
    // A department without a signing key used to sign with the key store named by its credit code; now the key is named, so name that one.
    version: 5,
    sql: `UPDATE departments SET body = json_set(body, '$.signingKey', credit_code) WHERE json_extract(body, '$.signingKey') IS NULL;`,
  },
  {
    // Separated duties: the all-powerful admin role is gone; its accounts become system administrators (their tokens stop working, the role claim differs).
    version: 6,
    sql: `UPDATE accounts SET body = json_set(body, '$.role', 'sysadmin') WHERE json_extract(body, '$.role') = 'admin';`,
  },
  {
    // Audit entries say where a request came from: its client address and request id (NULL for the CLI and the vault itself).
    version: 7,
    sql: `
      ALTER TABLE audit_log ADD COLUMN actor_address TEXT;
      ALTER TABLE audit_log ADD COLUMN actor_request_id TEXT;
    `,
  },
  {
    // A re-key (ADR 0010) keeps each re-chained entry's old hash, outside the chain, for checkpoints taken before it.
    version: 8,
    sql: `ALTER TABLE audit_log ADD COLUMN legacy_hash TEXT;`,
  },
  {
    // Holders signed in over OpenID Connect: their sessions, found by the hash of the token their browser keeps.
    version: 9,
    sql: `
      CREATE TABLE holder_sessions (
        token_hash TEXT PRIMARY KEY,
        holder_type TEXT NOT NULL,
        holder_number TEXT NOT NULL,
        name TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX holder_sessions_by_expiry ON holder_sessions (expires_at);
    `,
  },
  {
    // Holders' share links for third parties, found by id (the holder) or by the hash of the link's token (the recipient).
    version: 10,
    sql: `
      CREATE TABLE shares (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        holder_type TEXT NOT NULL CHECK (holder_type IN ('citizen', 'organization')),
        holder_number TEXT NOT NULL,
        licenses TEXT NOT NULL,
        recipient TEXT NOT NULL,
        purpose TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        one_time INTEGER NOT NULL CHECK (one_time IN (0, 1)),
        open_count INTEGER NOT NULL,
        first_opened_at TEXT,
        revoked_at TEXT
      ) STRICT;
      CREATE INDEX shares_by_holder ON shares (holder_type, holder_number, created_at, id);
    `,
  },
  {
    // Holders authorize offices (授权用证): the 用证码 is kept only as its hash; uses are counted in place, atomically.
    version: 11,
    sql: `
      CREATE TABLE authorizations (
        id TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL UNIQUE,
        holder_type TEXT NOT NULL CHECK (holder_type IN ('citizen', 'organization')),
        holder_number TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        uses_allowed INTEGER NOT NULL CHECK (uses_allowed >= 1),
        uses_made INTEGER NOT NULL CHECK (uses_made >= 0 AND uses_made <= uses_allowed),
        redeemed_by TEXT NOT NULL,
        withdrawn_at TEXT,
        terms TEXT NOT NULL
      ) STRICT;
      CREATE INDEX authorizations_by_holder ON authorizations (holder_type, holder_number, expires_at);
    `,
  },
  {
    // The usage record (用证记录) reads one holder's entries newest first: details.holderFingerprint, indexed; existing entries filled in.
    version: 12,
    sql: `
      ALTER TABLE audit_log ADD COLUMN holder_fingerprint TEXT;
      UPDATE audit_log SET holder_fingerprint = json_extract(details, '$.holderFingerprint')
        WHERE json_type(details, '$.holderFingerprint') = 'text' AND json_extract(details, '$.holderFingerprint') <> '';
      CREATE INDEX audit_log_by_holder ON audit_log (holder_fingerprint, seq) WHERE holder_fingerprint IS NOT NULL;
    `,
  },
  {
    // Anonymous verifications counted per license and day (China time), never identified and never in the audit log.
    version: 13,
    sql: `
      CREATE TABLE verification_counts (
        identifier TEXT NOT NULL,
        day TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count >= 0),
        PRIMARY KEY (identifier, day)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    // Annotated copies (加注件): what each copy was made of, for whom and until when, found by id (QR link) or by hash (upload).
    version: 14,
    sql: `
      CREATE TABLE copies (
        copy_id TEXT PRIMARY KEY,
        verification_code TEXT NOT NULL,
        original_identifier TEXT NOT NULL,
        original_sha256 TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        office_name TEXT NOT NULL,
        office_credit_code TEXT,
        service_item TEXT NOT NULL,
        purpose TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        created_at TEXT NOT NULL,
        made_by_id TEXT NOT NULL,
        made_by_role TEXT NOT NULL
      ) STRICT;
      CREATE INDEX copies_by_original ON copies (original_identifier, created_at);
    `,
  },
  {
    // Staff console sessions (found by the hash of the token their browser keeps) and failed sign-ins per user name, shared by every node.
    version: 15,
    sql: `
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        role TEXT NOT NULL,
        department TEXT,
        token_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX staff_sessions_by_account ON staff_sessions (username);
      CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);
      CREATE INDEX staff_sessions_by_last_seen ON staff_sessions (last_seen_at);
      CREATE TABLE staff_sign_in_failures (
        name_key TEXT PRIMARY KEY,
        count INTEGER NOT NULL CHECK (count >= 1),
        window_start TEXT NOT NULL
      ) STRICT;
    `,
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Brings the database to {@link SCHEMA_VERSION} (or to `target`, an older one); refuses a database from a newer build. */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
  const current = row.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new StoreError('ERR_STORE_SCHEMA_TOO_NEW', `database schema version ${current} is newer than this build (${SCHEMA_VERSION}); upgrade the vault`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, new Date().toISOString());
    }).immediate();
  }
  return Math.max(current, target);
}
