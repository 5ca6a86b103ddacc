import type { Role } from '../../../modules/auth/index.js';
import type { SignInFailureCount, SignInFailureRepository, StaffSessionRecord, StaffSessionRepository } from '../../../modules/staff/index.js';
import { requireText, statement, type SqliteConnection } from './connection.js';

interface SessionRow {
  token_hash: string;
  username: string;
  role: Role;
  department: string | null;
  token_version: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export class SqliteStaffSessionRepository implements StaffSessionRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async insert(session: StaffSessionRecord): Promise<void> {
    await this.connection.write((db) =>
      statement(db, 'INSERT INTO staff_sessions (token_hash, username, role, department, token_version, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        session.tokenHash,
        session.username,
        session.role,
        session.department,
        session.tokenVersion,
        session.createdAt,
        session.lastSeenAt,
        session.expiresAt,
      ),
    );
  }

  async get(tokenHash: string): Promise<StaffSessionRecord | null> {
    requireText(tokenHash);
    return this.connection.read((db) => {
      const row = statement(db, 'SELECT * FROM staff_sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
      return row
        ? {
            tokenHash: row.token_hash,
            username: row.username,
            role: row.role,
            department: row.department,
            tokenVersion: row.token_version,
            createdAt: row.created_at,
            lastSeenAt: row.last_seen_at,
            expiresAt: row.expires_at,
          }
        : null;
    });
  }

  async touch(tokenHash: string, lastSeenAt: string): Promise<void> {
    requireText(tokenHash);
    requireText(lastSeenAt);
    await this.connection.write((db) => statement(db, 'UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?').run(lastSeenAt, tokenHash));
  }

  async delete(tokenHash: string): Promise<number> {
    requireText(tokenHash);
    return this.connection.write((db) => statement(db, 'DELETE FROM staff_sessions WHERE token_hash = ?').run(tokenHash).changes);
  }

  async deleteOfAccount(username: string): Promise<number> {
    requireText(username);
    return this.connection.write((db) => statement(db, 'DELETE FROM staff_sessions WHERE username = ?').run(username).changes);
  }

  async deleteExpired(now: string, idleSince: string): Promise<number> {
    requireText(now);
    requireText(idleSince);
    return this.connection.write((db) => statement(db, 'DELETE FROM staff_sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, idleSince).changes);
  }
}

export class SqliteSignInFailureRepository implements SignInFailureRepository {
  constructor(private readonly connection: SqliteConnection) {}

  async addFailure(key: string, now: string, staleAtOrBefore: string): Promise<SignInFailureCount> {
    requireText(key);
    requireText(now);
    requireText(staleAtOrBefore);
    return this.connection.write((db) => {
      const row = statement(
        db,
        `INSERT INTO staff_sign_in_failures (name_key, count, window_start) VALUES (?, 1, ?)
         ON CONFLICT (name_key) DO UPDATE SET
           count = CASE WHEN window_start <= ? THEN 1 ELSE count + 1 END,
           window_start = CASE WHEN window_start <= ? THEN excluded.window_start ELSE window_start END
         RETURNING count, window_start`,
      ).get(key, now, staleAtOrBefore, staleAtOrBefore) as { count: number; window_start: string };
      return { count: row.count, windowStart: row.window_start };
    });
  }

  async get(key: string): Promise<SignInFailureCount | null> {
    requireText(key);
    return this.connection.read((db) => {
      const row = statement(db, 'SELECT count, window_start FROM staff_sign_in_failures WHERE name_key = ?').get(key) as { count: number; window_start: string } | undefined;
      return row ? { count: row.count, windowStart: row.window_start } : null;
    });
  }

  async clear(key: string): Promise<void> {
    requireText(key);
    await this.connection.write((db) => statement(db, 'DELETE FROM staff_sign_in_failures WHERE name_key = ?').run(key));
  }

  async deleteStale(atOrBefore: string): Promise<number> {
    requireText(atOrBefore);
    return this.connection.write((db) => statement(db, 'DELETE FROM staff_sign_in_failures WHERE window_start <= ?').run(atOrBefore).changes);
  }
}
