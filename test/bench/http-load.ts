import autocannon from 'autocannon';
import { cpuBetween, threadCpu } from '../support/process-cpu.js';
import { peakRssMiB, resetPeakRss } from '../support/process-memory.js';

export interface LoadOptions {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Picks each request's path (for varied look-ups). */
  readonly path?: () => string;
  readonly connections: number;
  readonly seconds: number;
  /** The server process, whose peak RSS during the load is reported. */
  readonly pid: number;
}

export interface LoadResult {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Responses other than 2xx, and connection errors or timeouts. */
  readonly failures: number;
  readonly peakRssMiB: number | null;
  /** CPU time per answered request, in ms: the server's main thread, its other threads (workers, GC helpers, libuv pool), and autocannon. */
  readonly cpuPerRequest: { readonly main: number; readonly otherThreads: number; readonly loadGenerator: number } | null;
}

/** Closed-loop HTTP load with autocannon: `connections` requests in flight for `seconds`. Latencies in ms. */
export async function httpLoad(options: LoadOptions): Promise<LoadResult> {
  resetPeakRss(options.pid);
  const serverBefore = threadCpu(options.pid);
  const generatorBefore = process.cpuUsage();
  const pick = options.path;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.seconds,
    ...(pick ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: pick() }) }] } : {}),
  });
  const generator = process.cpuUsage(generatorBefore);
  const serverAfter = threadCpu(options.pid);
  const server = serverBefore && serverAfter ? cpuBetween(serverBefore, serverAfter) : null;
  const requests = Math.max(1, result.requests.total);
  return {
    perSecond: result.requests.total / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
    peakRssMiB: peakRssMiB(options.pid),
    cpuPerRequest: server && { main: server.mainMs / requests, otherThreads: server.otherThreadsMs / requests, loadGenerator: (generator.user + generator.system) / 1000 / requests },
  };
}
