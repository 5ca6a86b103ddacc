import { whole } from '../bench/report.js';
import type { Criterion } from './criteria.js';
import type { Slice, StreamSlice } from './slice-recorder.js';
import type { SoakRun } from './soak.js';

const ms = (value: number | null): string => (value === null ? '–' : value.toFixed(1));

function cell(stream: StreamSlice): string {
  const extra = [stream.planned429 > 0 ? `429×${whole(stream.planned429)}` : '', stream.failures > 0 ? `**failed×${whole(stream.failures)}**` : ''].filter(Boolean).join(' ');
  return `${whole(stream.answered)} · ${ms(stream.p50)} / ${ms(stream.p99)}${extra ? ` · ${extra}` : ''}`;
}

function sliceRow(slice: Slice): string {
  const rss = slice.rssMiB ? `${slice.rssMiB.min.toFixed(0)}–${slice.rssMiB.max.toFixed(0)}` : 'n/a';
  const label = `${slice.number}${slice.number === 1 ? ' (warm-up)' : ''}`;
  return `| ${label} | ${rss} | ${slice.streams.map(cell).join(' | ')} |`;
}

/** Answers per second over the whole run, per stream. */
function rates(run: SoakRun): string {
  const seconds = run.slices.length * run.sliceSeconds;
  return run.streams
    .map((stream) => `${stream.name} ${(run.slices.reduce((sum, slice) => sum + (slice.streams.find((s) => s.stream === stream.name)?.answered ?? 0), 0) / seconds).toFixed(1)}/s`)
    .join(', ');
}

/** One line for a finished slice: RSS, and each stream's answers and p99. */
export function sliceLine(slice: Slice, of: number): string {
  const rss = slice.rssMiB ? `RSS ${slice.rssMiB.min.toFixed(0)}–${slice.rssMiB.max.toFixed(0)} MiB` : 'RSS n/a';
  const streams = slice.streams.map(
    (s) => `${s.stream} ${s.answered} p99 ${s.p99 === null ? '–' : s.p99.toFixed(1)}${s.planned429 ? ` 429×${s.planned429}` : ''}${s.failures ? ` FAILED×${s.failures}` : ''}`,
  );
  return `slice ${slice.number}/${of}: ${rss}; ${streams.join('; ')}`;
}

/** docs/soak.md: criteria, streams, a row per slice, and how to read them. `machine` says where it ran. */
export function soakMarkdown(run: SoakRun, criteria: readonly Criterion[], machine: string): string {
  const minutes = (run.slices.length * run.sliceSeconds) / 60;
  const passed = criteria.every((criterion) => criterion.ok);
  return [
    '# Soak',
    '',
    `Measured by \`npm run soak\` on ${run.startedAt.slice(0, 10)}: ${run.slices.length} slices of ${run.sliceSeconds} s (${minutes.toFixed(minutes % 1 === 0 ? 0 : 1)} minutes of load) against one fresh built vault. ${machine}`,
    '',
    `Result: **${passed ? 'passed' : 'FAILED'}**.`,
    '',
    '## Criteria',
    '',
    '| criterion | met | measured |',
    '|---|:-:|---|',
    ...criteria.map((criterion) => `| ${criterion.name} | ${criterion.ok ? 'yes' : '**no**'} | ${criterion.detail} |`),
    '',
    '## Streams',
    '',
    'All at once, for the whole run, each its own autocannon instance (closed loop: each connection sends its next request when the last is answered, unless a rate is given).',
    '',
    '| stream | connections | rate | sends |',
    '|---|--:|--:|---|',
    ...run.streams.map((stream) => `| ${stream.name} | ${stream.connections} | ${stream.perSecond ? `${stream.perSecond}/s` : 'as answered'} | ${stream.does} |`),
    '',
    `Answers per second over the run: ${rates(run)}.`,
    '',
    '## Per slice',
    '',
    "Each stream's cell: answers in the slice · p50 / p99 latency in ms (over every answer, 429s included) · planned 429s · failures. RSS is the vault process's (all threads), sampled from /proc every 5 s (every fifth of a slice when slices are shorter): lowest–highest sample in the slice, in MiB.",
    '',
    `| slice | RSS MiB | ${run.streams.map((stream) => stream.name).join(' | ')} |`,
    `|---|--:|${run.streams.map(() => '--:').join('|')}|`,
    ...run.slices.map(sliceRow),
    '',
    '## How it is measured',
    '',
    `- **Planned 429s.** The vault runs with the look-up limit lifted (one clerk account does all the look-ups, and that limit is per account) and the anonymous verification limit at its default, ${run.verificationsPerMinute} a minute per client IP, behind a trusted proxy (\`VAULT_TRUST_PROXY=loopback\`): the regular verification streams stand for many clients, each request from the next of 4,096 addresses per stream in X-Forwarded-For, far under the limit each; the greedy verifier is one address asking for ten times its allowance. Its 429s are counted apart; a 429 anywhere else is a failure.`,
    "- **Failures.** Any other non-2xx answer, a 2xx answer with the wrong content (a verdict other than the one expected, a look-up without the license it asked about, a 201 without a license), a socket error, or no answer within 10 s (autocannon's timeout).",
    "- **Slices.** One autocannon instance per stream runs for the whole soak; every answer is filed under the slice it arrived in (autocannon's per-response event), and percentiles are exact (nearest rank over the slice's latencies). Answers still in flight when the load stops count in the last slice.",
    `- **RSS growth.** The highest sample of the last slice against the highest sample of slice 2; slice 1 is the warm-up, in which the heap, the worker threads and the store's caches fill.`,
    `- **After the load.** Issuance requests the load cut off unanswered (${whole(run.retried.sent)} here: in flight as autocannon stopped, or timed out) are sent again with their Idempotency-Key (${whole(run.retried.replayed)} replayed a stored license, ${whole(run.retried.acknowledged - run.retried.replayed)} were issued then); then the vault gets SIGTERM, and \`license-vault fsck --json\` runs on its store. Every 201 the soak got (${whole(run.seeded)} seeded before the load, the load's, the retries') must be one stored license.`,
    "- **Personal data.** The vault's output is swept line by line for citizen ID numbers not masked; the holders are generated, and this report shows none.",
    '',
  ].join('\n');
}
