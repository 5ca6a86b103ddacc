import { BATCH_MAX_ITEMS } from '../../../src/modules/licenses/limits';
import { api } from '../api/client';
import type { BatchRow } from './batch-columns';
import { labelOf } from './batch-columns';
import type { CatalogueEntry } from './catalogue';
import { placeOfProblem } from './issue-problems';
import { checkIssue, type IssueBody } from './issue-rules';

/** Rows per request: small enough for the progress bar to move, never more than the vault takes. */
const CHUNK = Math.min(20, BATCH_MAX_ITEMS);

/** One row's outcome. */
export type RowResult = {
  readonly line: number;
  readonly holderId: string;
  readonly holderName: string;
} & ({ readonly ok: true; readonly identifier: string; readonly licenseNumber: string } | { readonly ok: false; readonly error: string });

function problemsText(entry: CatalogueEntry, errors: Readonly<Record<string, string>>): string {
  return Object.entries(errors)
    .map(([place, message]) => `${labelOf(entry, place)}：${message}`)
    .join('；');
}

/**
 * Checks every row by the vault's rules first (rows that fail are not sent),
 * then issues the others in chunks; `progress` is told the share of rows done.
 * A chunk whose answer is lost is reported as unknown, never sent again (the
 * batch route has no idempotency key: a resend could issue twice).
 */
export async function runBatch(entry: CatalogueEntry, rows: readonly BatchRow[], progress: (done: number) => void): Promise<RowResult[]> {
  const results = new Map<number, RowResult>();
  const toSend: { row: BatchRow; body: IssueBody }[] = [];
  for (const row of rows) {
    const holder = { holderId: row.input.holderId ?? '', holderName: row.input.holderName ?? '' };
    const { body, errors } = checkIssue(entry, row.input);
    if (body) toSend.push({ row, body });
    else results.set(row.line, { line: row.line, ...holder, ok: false, error: problemsText(entry, errors) });
  }
  progress(results.size / rows.length);
  for (let at = 0; at < toSend.length; at += CHUNK) {
    const chunk = toSend.slice(at, at + CHUNK);
    const answer = await api.POST('/api/v1/licenses/batch', { body: { items: chunk.map((item) => item.body) } }).catch(() => ({ data: undefined, error: undefined }));
    const outcome = answer.data ? answer.data : null;
    chunk.forEach(({ row, body }, index) => {
      const holder = { holderId: body.holder.id, holderName: body.holder.name };
      const result = outcome?.results.find((r) => r.index === index);
      if (result?.ok) results.set(row.line, { line: row.line, ...holder, ok: true, identifier: result.license.identifier, licenseNumber: result.license.licenseNumber });
      else if (result) {
        const { place, message } = placeOfProblem(entry, result.error);
        results.set(row.line, { line: row.line, ...holder, ok: false, error: place ? `${labelOf(entry, place)}：${message}` : message });
      } else {
        const why = placeOfProblem(entry, answer.error).message;
        results.set(row.line, { line: row.line, ...holder, ok: false, error: `${why}（本行是否已签发未能确认，请在证照管理中核对后再处理）` });
      }
    });
    progress(results.size / rows.length);
  }
  return rows.map((row) => results.get(row.line)).filter((result): result is RowResult => result !== undefined);
}
