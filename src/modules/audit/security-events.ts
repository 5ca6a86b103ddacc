import type { Clock } from '../../shared/clock.js';
import type { AuditActor } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';

/** A security event for the audit log: a sign-in, a refusal, a lockout… */
export interface SecurityEvent {
  /** Dotted verb, e.g. `auth.token.refused`. */
  readonly action: string;
  /** Who did it, with the request's address and id. */
  readonly actor: AuditActor;
  /** What was acted on or tried (an account id, a route), or null. */
  readonly target: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface SecurityEventRecorderOptions {
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  /** How long repeats of one event are counted instead of written; 60 s by default. */
  readonly windowMs?: number;
  /** Events counted at once at most; beyond that, repeats of an action are counted together. 10,000 by default. */
  readonly maxKeys?: number;
}

interface Window {
  readonly start: number;
  repeated: number;
  last: SecurityEvent;
  readonly overflow: boolean;
}

const OVERFLOW = '\u0000*';

/**
 * Writes security events to the audit log without letting a flood of them
 * flood the log. A repeatable event (a refusal) is written at once the first
 * time its key — action, client address, actor and target — is seen in a
 * window; repeats within the window are only counted, and one summary entry
 * (`{repeated, windowStart, windowEnd}`) is written when the window closes:
 * at the key's next event, at {@link flush} or at {@link close}.
 */
export class SecurityEventRecorder {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(private readonly options: SecurityEventRecorderOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    if (!(this.windowMs > 0) || !(this.maxKeys > 0)) throw new TypeError('SecurityEventRecorder needs a positive window and key cap');
  }

  /** Writes `event` at once, whatever came before (a success, an auditor's read). */
  async write(event: SecurityEvent): Promise<void> {
    await this.append(event, this.options.clock.now().getTime());
  }

  /** Writes the first `event` of its key in a window and counts the repeats. */
  async record(event: SecurityEvent): Promise<void> {
    const now = this.options.clock.now().getTime();
    const key = keyOf(event);
    const closed: Window[] = [];
    let window = this.windows.get(key);
    if (window && this.isClosed(window, now)) {
      closed.push(window);
      this.windows.delete(key);
      window = undefined;
    }
    if (!window && this.windows.size >= this.maxKeys) {
      closed.push(...this.takeClosed(now));
      if (this.windows.size >= this.maxKeys) return this.recordOverflow(event, now, closed);
    }
    if (window) {
      window.repeated += 1;
      window.last = event;
      await this.writeSummaries(closed, now);
      return;
    }
    this.windows.set(key, { start: now, repeated: 0, last: event, overflow: false });
    await this.writeSummaries(closed, now);
    await this.append(event, now);
  }

  /** Writes the summaries of windows that have closed; returns how many it wrote. */
  async flush(): Promise<number> {
    const now = this.options.clock.now().getTime();
    return this.writeSummaries(this.takeClosed(now), now);
  }

  /** Writes the summary of every window with repeats, closed or not (at shutdown). */
  async close(): Promise<number> {
    const open = [...this.windows.values()];
    this.windows.clear();
    return this.writeSummaries(open, this.options.clock.now().getTime());
  }

  /** Keys being counted now, overflow buckets included. */
  get size(): number {
    return this.windows.size;
  }

  private async recordOverflow(event: SecurityEvent, now: number, closed: Window[]): Promise<void> {
    const key = `${event.action}${OVERFLOW}`;
    const bucket = this.windows.get(key);
    if (bucket && !this.isClosed(bucket, now)) {
      bucket.repeated += 1;
      bucket.last = event;
      await this.writeSummaries(closed, now);
      return;
    }
    if (bucket) closed.push(bucket);
    // One bucket per action, beyond the cap: actions are a fixed set, so memory stays bounded.
    this.windows.set(key, { start: now, repeated: 0, last: event, overflow: true });
    await this.writeSummaries(closed, now);
    await this.append(event, now);
  }

  private isClosed(window: Window, now: number): boolean {
    return now >= window.start + this.windowMs;
  }

  private takeClosed(now: number): Window[] {
    const closed: Window[] = [];
    for (const [key, window] of this.windows) {
      if (!this.isClosed(window, now)) continue;
      closed.push(window);
      this.windows.delete(key);
    }
    return closed;
  }

  private async writeSummaries(windows: readonly Window[], now: number): Promise<number> {
    let written = 0;
    for (const window of windows) {
      if (window.repeated === 0) continue;
      const { last } = window;
      await this.append(
        {
          ...last,
          details: {
            ...last.details,
            repeated: window.repeated,
            windowStart: new Date(window.start).toISOString(),
            windowEnd: new Date(Math.min(now, window.start + this.windowMs)).toISOString(),
            ...(window.overflow ? { overflow: true } : {}),
          },
        },
        now,
      );
      written += 1;
    }
    return written;
  }

  private async append(event: SecurityEvent, now: number): Promise<void> {
    await this.options.audit.append({ at: new Date(now).toISOString(), actor: event.actor, action: event.action, target: event.target, details: event.details });
  }
}

function keyOf(event: SecurityEvent): string {
  return [event.action, event.actor.address ?? '', event.actor.id, event.target ?? ''].join('\u0000');
}
