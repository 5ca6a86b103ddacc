import { randomInt } from 'node:crypto';

/**
 * The seed of a test's random choices: the variable `envName` when set (to
 * replay a failure), else a fresh one. Printed, so any failure can be replayed.
 */
export function seedFor(label: string, envName: string): number {
  const fromEnv = process.env[envName];
  const seed = fromEnv === undefined || fromEnv === '' ? randomInt(2 ** 31) : Number.parseInt(fromEnv, 10);
  if (!Number.isSafeInteger(seed)) throw new Error(`${envName}=${fromEnv}: not an integer seed`);
  process.stdout.write(`[${label}] seed ${seed} (replay with ${envName}=${seed})\n`);
  return seed;
}

/** Numbers in [0, 1) from `seed` (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
