import type { AccountRepository } from '../auth/index.js';
import type { DepartmentRepository } from '../departments/index.js';
import type { Clock } from '../../shared/clock.js';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 2000;

/** A small read-through cache with a lifetime: names change seldom, a usage page names the same few offices many times. */
class Cached<T> {
  private readonly entries = new Map<string, { value: Promise<T>; until: number }>();

  constructor(private readonly clock: Clock) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const held = this.entries.get(key);
    if (held && held.until > now) return held.value;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, until: now + TTL_MS });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

/** Department names by credit code, and the department of an account, cached for a few minutes. */
export class OfficeNames {
  private readonly departments: Cached<string | null>;
  private readonly accounts: Cached<string | null>;

  constructor(
    private readonly store: { readonly departments: Pick<DepartmentRepository, 'get'>; readonly accounts: Pick<AccountRepository, 'get'> },
    clock: Clock,
  ) {
    this.departments = new Cached(clock);
    this.accounts = new Cached(clock);
  }

  /** The name of the department with this credit code, or null when no department has it. */
  departmentName(creditCode: string): Promise<string | null> {
    return this.departments.get(creditCode, async () => (await this.store.departments.get(creditCode))?.name ?? null);
  }

  /** The credit code of the department an account acts for, or null (no such account, or none). */
  departmentOf(clientId: string): Promise<string | null> {
    return this.accounts.get(clientId, async () => (await this.store.accounts.get(clientId))?.department ?? null);
  }
}
