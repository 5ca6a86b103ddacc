/**
 * The fast-check seed for this run: `FC_SEED` when set (to replay a failure),
 * else derived from the time. Printed so any failure can be replayed.
 */
export function propertySeed(label: string): number {
  const fromEnv = process.env.FC_SEED;
  const seed = fromEnv === undefined || fromEnv === '' ? Date.now() % 2_147_483_647 : Number.parseInt(fromEnv, 10);
  process.stdout.write(`[${label}] fast-check seed ${seed} (replay with FC_SEED=${seed})\n`);
  return seed;
}
