import { VerificationTally, type VerificationCount } from '../../../src/modules/verification/index.js';
import { movableClock } from '../../support/vault-harness.js';

/** A repository that keeps what it is given, and refuses while told to. */
function keeping() {
  const written: VerificationCount[][] = [];
  let refusing = false;
  return {
    written,
    refuse: (value: boolean) => void (refusing = value),
    add: async (counts: readonly VerificationCount[]) => {
      if (refusing) throw new Error('store unavailable');
      written.push([...counts]);
    },
  };
}

describe('VerificationTally', () => {
  test('counts per license and China day in memory and writes them in one batch at flush', async () => {
    const clock = movableClock('2026-11-21T15:00:00Z');
    const repository = keeping();
    const tally = new VerificationTally({ repository, clock });
    tally.count('L1');
    tally.count('L1');
    tally.count('L2');
    clock.set('2026-11-21T16:30:00Z'); // 00:30 on the 22nd in China
    tally.count('L1');
    expect(repository.written).toEqual([]);
    await expect(tally.flush()).resolves.toBe(3);
    expect(repository.written).toEqual([
      [
        { identifier: 'L1', day: '2026-11-21', count: 2 },
        { identifier: 'L2', day: '2026-11-21', count: 1 },
        { identifier: 'L1', day: '2026-11-22', count: 1 },
      ],
    ]);
    await expect(tally.flush()).resolves.toBe(0);
    expect(repository.written).toHaveLength(1);
  });

  test('a failed flush keeps its counts for the next one, added to what came since', async () => {
    const repository = keeping();
    const tally = new VerificationTally({ repository, clock: movableClock('2026-11-21T02:00:00Z') });
    tally.count('L1');
    repository.refuse(true);
    await expect(tally.flush()).rejects.toThrow('store unavailable');
    tally.count('L1');
    repository.refuse(false);
    await tally.flush();
    expect(repository.written).toEqual([[{ identifier: 'L1', day: '2026-11-21', count: 2 }]]);
  });

  test('reaching maxPending starts a flush; while the store refuses, new license-days beyond twice that are dropped and counted as dropped', async () => {
    const repository = keeping();
    const tally = new VerificationTally({ repository, clock: movableClock('2026-11-21T02:00:00Z'), maxPending: 2 });
    tally.count('L1');
    tally.count('L2');
    await tally.flush();
    expect(repository.written.flat().map((count) => count.identifier)).toEqual(['L1', 'L2']);
    repository.refuse(true);
    for (const identifier of ['A', 'B', 'C', 'D', 'E', 'F']) {
      tally.count(identifier);
      await tally.flush().catch(() => undefined);
    }
    expect(tally.size).toBe(4);
    expect(tally.dropped).toBe(2);
    tally.count('A');
    expect(tally.dropped).toBe(2);
  });
});
