import { readFileSync, writeFileSync } from 'node:fs';

/** A field of /proc/{pid}/status in KiB (Linux), or null where there is none. */
function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Peak resident memory of process `pid` (all its threads) since start or the last reset, in MiB. */
export function peakRssMiB(pid: number): number | null {
  const kib = statusKiB(pid, 'VmHWM');
  return kib === null ? null : kib / 1024;
}

export function rssMiB(pid: number): number | null {
  const kib = statusKiB(pid, 'VmRSS');
  return kib === null ? null : kib / 1024;
}

/** Resets the peak to the current RSS (Linux ≥ 4.0, writing 5 to clear_refs); false when not permitted. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
