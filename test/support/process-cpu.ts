import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in ms: its main thread, and all its other threads together. */
export interface ThreadCpu {
  readonly mainMs: number;
  readonly otherThreadsMs: number;
}

function threadCpuMs(pid: number, tid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0; // The thread ended between listing and reading.
  }
}

/** A snapshot of process `pid`'s CPU time per thread (Linux), or null where /proc is not readable. */
export function threadCpu(pid: number): ThreadCpu | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let mainMs = 0;
  let otherThreadsMs = 0;
  for (const tid of tids) {
    const ms = threadCpuMs(pid, tid);
    if (tid === String(pid)) mainMs += ms;
    else otherThreadsMs += ms;
  }
  return { mainMs, otherThreadsMs };
}

/** CPU used between two snapshots. Threads that ended in between take their time with them, so this is a lower bound. */
export function cpuBetween(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  return { mainMs: after.mainMs - before.mainMs, otherThreadsMs: Math.max(0, after.otherThreadsMs - before.otherThreadsMs) };
}
