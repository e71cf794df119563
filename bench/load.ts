import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  /** Responses received (2xx and others). */
  total: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** A request of a load: its path (else the load's URL) and headers. */
export interface LoadRequest {
  path?: string;
  headers: Record<string, string>;
}

/** Drives `url` with autocannon for `seconds`, cycling through the given requests (or header sets). */
export async function load(
  url: string,
  opts: { seconds: number; connections: number; headers?: Record<string, string>[]; requests?: LoadRequest[] },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    pipelining: 1,
    duration: opts.seconds,
    requests: (opts.requests ?? (opts.headers ?? [{}]).map((headers) => ({ headers }))).map((r) => ({ method: 'GET', ...r })),
  });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
