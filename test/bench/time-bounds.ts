/**
 * `npm run bench:bounds`: the time bounds that used to sit in unit tests,
 * where a loaded machine made them fail for no fault of the code. Each is
 * timed here (the median of RUNS tries) against its bound; the script exits 1
 * when a bound is missed. The unit tests keep the behaviour (the answers),
 * this keeps the time.
 */
import { loadP12Signer } from '../../src/adapters/pki/p12/index.js';
import { maskIdentityNumbersInText } from '../../src/modules/identity/index.js';
import { fixedClock } from '../../src/shared/clock.js';
import { makeTestPki, TEST_P12_PASSWORD } from '../fixtures/pki.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Bound {
  readonly name: string;
  readonly boundMs: number;
  readonly run: () => unknown;
}

const digits = '1'.repeat(200_000);
const line = 'x /holders/11010519491231002X/licenses '.repeat(20_000);

const bounds: Bound[] = [
  // Masking runs on every log line: a backtracking pattern would be quadratic on long runs of digits.
  { name: 'mask ID numbers in 200,000 digits and in a 780,000-character line', boundMs: 2000, run: () => [maskIdentityNumbersInText(digits), maskIdentityNumbersInText(line)] },
  ...(['RSA', 'EC'] as const).map((algorithm) => {
    const pki = makeTestPki({ algorithm });
    const clock = fixedClock(pki.now.toISOString());
    // Opening a key store decrypts it (PBKDF2, 2,048 iterations) once: at start-up, and when a department's key is replaced.
    return { name: `open the ${algorithm} department key store`, boundMs: 2000, run: () => loadP12Signer({ p12: pki.department.p12, password: TEST_P12_PASSWORD, clock }) };
  }),
];

async function main(): Promise<void> {
  let missed = 0;
  process.stdout.write(`| time bound | median of ${RUNS} (ms) | bound (ms) | met |\n|---|---:|---:|:-:|\n`);
  for (const bound of bounds) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      await bound.run();
      times.push(performance.now() - started);
    }
    const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    const met = median < bound.boundMs;
    if (!met) missed += 1;
    process.stdout.write(`| ${bound.name} | ${median.toFixed(1)} | ${bound.boundMs} | ${met ? 'yes' : '**no**'} |\n`);
  }
  process.exitCode = missed === 0 ? 0 : 1;
}

await main();
