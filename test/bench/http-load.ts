import autocannon from 'autocannon';
import { cpuBetween, threadCpu } from '../support/process-cpu.js';
import { peakRssMiB, resetPeakRss } from '../support/process-memory.js';

/** What a load sends: one request, the same every time except where `path` or `vary` change it. */
export interface LoadTarget {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Picks each request's path (for varied look-ups). */
  readonly path?: () => string;
  /** Changes each request before it is sent (headers, body); `context` stays with that request until it is answered. */
  readonly vary?: (request: autocannon.Request, context: Record<string, unknown>) => autocannon.Request;
  /** Sees each answer, with the context of the request it answers. */
  readonly answered?: (status: number, body: string, context: Record<string, unknown>) => void;
}

/** autocannon's options for sending `target`; how long and how hard are the caller's. */
export function autocannonTarget(target: LoadTarget): Pick<autocannon.Options, 'url' | 'method' | 'headers' | 'body' | 'requests'> {
  const { path, vary, answered } = target;
  const varied = path || vary || answered;
  return {
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers,
    body: target.body,
    ...(varied
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request, context: object) => {
                const withPath = path ? { ...request, path: path() } : request;
                return vary ? vary(withPath, context as Record<string, unknown>) : withPath;
              },
              ...(answered ? { onResponse: (status: number, body: string, context: object) => answered(status, body, context as Record<string, unknown>) } : {}),
            },
          ],
        }
      : {}),
  };
}

export interface LoadOptions extends LoadTarget {
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
  const result = await autocannon({ ...autocannonTarget(options), connections: options.connections, duration: options.seconds });
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
    cpuPerRequest: server && {
      main: server.mainMs / requests,
      otherThreads: server.otherThreadsMs / requests,
      loadGenerator: (generator.user + generator.system) / 1000 / requests,
    },
  };
}
