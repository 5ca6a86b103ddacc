/** Runs `work` back to back for about `seconds` (after a short warm-up) and returns operations per second. */
export async function opsPerSecond(work: () => Promise<unknown>, seconds: number): Promise<{ perSecond: number; count: number; ms: number }> {
  const warmUpEnd = performance.now() + Math.min(500, seconds * 100);
  while (performance.now() < warmUpEnd) await work();
  const start = performance.now();
  const end = start + seconds * 1000;
  let count = 0;
  while (performance.now() < end) {
    await work();
    count += 1;
  }
  const ms = performance.now() - start;
  return { perSecond: (count * 1000) / ms, count, ms };
}

export function format(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}
