import { auditActor, chainAuditEntry, type AuditDraft, type AuditEntry, type AuditLog } from '../../../src/modules/audit/index.js';
import { SecurityEventRecorder, type SecurityEvent } from '../../../src/modules/audit/index.js';
import type { Clock } from '../../../src/shared/clock.js';

/** An audit log in memory: only what the recorder writes is under test here, not the store. */
function memoryLog(): Pick<AuditLog, 'append'> & { readonly entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    append(draft: AuditDraft) {
      const entry = chainAuditEntry(entries.at(-1) ?? null, draft);
      entries.push(entry);
      return Promise.resolve(entry);
    },
  };
}

function fakeClock(start: string): Clock & { advance(ms: number): void } {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

const refused = (address: string, clientId = 'spray'): SecurityEvent => ({
  action: 'auth.token.refused',
  actor: auditActor('anonymous', 'anonymous', { address, requestId: `req-${address}` }),
  target: clientId,
  details: { clientId, reason: 'invalid-client' },
});

describe('SecurityEventRecorder', () => {
  test('1000 failed token requests from one address in a minute make two entries: the first, then one summary that counts the other 999', async () => {
    const log = memoryLog();
    const clock = fakeClock('2026-12-04T08:00:00.000Z');
    const recorder = new SecurityEventRecorder({ audit: log, clock, windowMs: 60_000 });
    for (let i = 0; i < 1000; i += 1) {
      await recorder.record(refused('203.0.113.9'));
      clock.advance(59);
    }
    expect(log.entries).toHaveLength(1);
    clock.advance(60_000);
    await expect(recorder.flush()).resolves.toBe(1);
    expect(log.entries).toHaveLength(2);
    expect(log.entries[0]).toMatchObject({ action: 'auth.token.refused', actor: { address: '203.0.113.9' }, details: { clientId: 'spray' } });
    expect(log.entries[0]!.details).not.toHaveProperty('repeated');
    expect(log.entries[1]).toMatchObject({
      action: 'auth.token.refused',
      actor: { address: '203.0.113.9' },
      details: { repeated: 999, windowStart: '2026-12-04T08:00:00.000Z', windowEnd: '2026-12-04T08:01:00.000Z' },
    });
    expect(recorder.size).toBe(0);
  });

  test('the next event after the window writes the summary, then itself as the first of a new window', async () => {
    const log = memoryLog();
    const clock = fakeClock('2026-12-04T08:00:00.000Z');
    const recorder = new SecurityEventRecorder({ audit: log, clock, windowMs: 60_000 });
    await recorder.record(refused('198.51.100.1'));
    await recorder.record(refused('198.51.100.1'));
    await recorder.record(refused('198.51.100.1'));
    clock.advance(60_000);
    await recorder.record(refused('198.51.100.1'));
    expect(log.entries.map((e) => e.details.repeated)).toEqual([undefined, 2, undefined]);
  });

  test('a window with no repeats writes no summary; different addresses or accounts are counted apart', async () => {
    const log = memoryLog();
    const clock = fakeClock('2026-12-04T08:00:00.000Z');
    const recorder = new SecurityEventRecorder({ audit: log, clock });
    await recorder.record(refused('198.51.100.1'));
    await recorder.record(refused('198.51.100.2'));
    await recorder.record(refused('198.51.100.1', 'other-client'));
    clock.advance(61_000);
    await expect(recorder.flush()).resolves.toBe(0);
    expect(log.entries).toHaveLength(3);
  });

  test('close writes what is still being counted, before its window ends (shutdown)', async () => {
    const log = memoryLog();
    const clock = fakeClock('2026-12-04T08:00:00.000Z');
    const recorder = new SecurityEventRecorder({ audit: log, clock });
    for (let i = 0; i < 5; i += 1) await recorder.record(refused('198.51.100.7'));
    clock.advance(10_000);
    await expect(recorder.close()).resolves.toBe(1);
    expect(log.entries[1]).toMatchObject({ details: { repeated: 4, windowStart: '2026-12-04T08:00:00.000Z', windowEnd: '2026-12-04T08:00:10.000Z' } });
    expect(recorder.size).toBe(0);
  });

  test('memory is bounded: beyond the key cap, new keys are counted in one bucket per action', async () => {
    const log = memoryLog();
    const clock = fakeClock('2026-12-04T08:00:00.000Z');
    const recorder = new SecurityEventRecorder({ audit: log, clock, maxKeys: 10 });
    for (let i = 0; i < 500; i += 1) await recorder.record(refused(`10.0.${Math.floor(i / 250)}.${i % 250}`));
    expect(recorder.size).toBe(11);
    // Ten keys written at once, then the first overflowing event; the other 489 are counted.
    expect(log.entries).toHaveLength(11);
    clock.advance(60_000);
    await recorder.flush();
    expect(log.entries.at(-1)).toMatchObject({ details: { repeated: 489, overflow: true } });
    expect(recorder.size).toBe(0);
  });

  test('closed windows make room before anything overflows', async () => {
    const log = memoryLog();
    const clock = fakeClock('2026-12-04T08:00:00.000Z');
    const recorder = new SecurityEventRecorder({ audit: log, clock, maxKeys: 2 });
    await recorder.record(refused('10.0.0.1'));
    await recorder.record(refused('10.0.0.2'));
    clock.advance(60_000);
    await recorder.record(refused('10.0.0.3'));
    expect(recorder.size).toBe(1);
    expect(log.entries.at(-1)!.details).not.toHaveProperty('overflow');
  });

  test('write records every event at once', async () => {
    const log = memoryLog();
    const recorder = new SecurityEventRecorder({ audit: log, clock: fakeClock('2026-12-04T08:00:00.000Z') });
    const issued = { ...refused('10.0.0.1'), action: 'auth.token.issued' };
    await recorder.write(issued);
    await recorder.write(issued);
    expect(log.entries).toHaveLength(2);
  });
});
