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

/** Drives `url` with autocannon for `seconds`, cycling through the given header sets. */
export async function load(
  url: string,
  opts: { seconds: number; connections: number; headers?: Record<string, string>[] },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    pipelining: 1,
    duration: opts.seconds,
    requests: (opts.headers ?? [{}]).map((headers) => ({ method: 'GET', headers })),
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
