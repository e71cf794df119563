import { Pool } from 'undici';

export interface PacedResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  bad: number;
}

/**
 * Open-loop load: requests are sent at a fixed rate whatever the server does, and each
 * latency is counted from the moment the request was due, not from when a free
 * connection sent it, so a stalled server shows as latency instead of hiding as a lower
 * rate (coordinated omission). autocannon's rate mode does not do this, and on this kind
 * of machine it reported p99s of hundreds of milliseconds for a bare hello-world.
 */
export async function paced(
  base: string,
  requests: { path: string; headers: Record<string, string> }[],
  opts: { rate: number; seconds: number; connections: number },
): Promise<PacedResult> {
  const pool = new Pool(base, { connections: opts.connections, pipelining: 1 });
  // Connections are opened (and the client warmed) first: their set-up is not the server's latency.
  await Promise.all(Array.from({ length: opts.connections * 4 }, (_, i) => pool.request({ method: 'GET', ...requests[i % requests.length]! }).then((r) => r.body.dump())));
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let bad = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const dueAt = (i: number) => start + (i * 1000) / opts.rate;
  for (let i = 0; i < total; ) {
    // Each tick sends everything that has fallen due; a request is never sent early.
    const now = performance.now();
    for (; i < total && dueAt(i) <= now; i++) {
      const due = dueAt(i);
      const { path, headers } = requests[i % requests.length]!;
      pending.push(
        pool.request({ method: 'GET', path, headers }).then(
          async (res) => {
            await res.body.dump();
            if (res.statusCode >= 400) bad++;
            latencies.push(performance.now() - due);
          },
          () => void bad++,
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]! * 10) / 10;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), max: at(1), bad };
}
