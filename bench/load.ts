import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

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

const run = promisify(execFile);
const SCRIPT = path.join(import.meta.dirname, 'wrk-requests.lua');

/** The figures bench/wrk-requests.lua prints when the run ends. */
interface WrkSummary {
  requests: number;
  durationUs: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50Us: number;
  p99Us: number;
}

/** One line per request for bench/wrk-requests.lua: the path, then `name: value` headers, tab-separated. */
function requestLines(url: string, requests: LoadRequest[]): string {
  const { pathname, search } = new URL(url);
  return requests
    .map((r) => {
      const fields = [r.path ?? `${pathname}${search}`, ...Object.entries(r.headers).map(([name, value]) => `${name}: ${value}`)];
      if (fields.some((f) => /[\t\r\n]/.test(f))) throw new Error(`a request field holds a tab or a line break: ${JSON.stringify(fields)}`);
      return fields.join('\t');
    })
    .join('\n');
}

/**
 * Drives `url` with wrk (the Debian package `wrk`) for `seconds`, one client thread on
 * keep-alive connections, cycling through the given requests (or header sets), each
 * encoded once. wrk rather than autocannon: on these two shared cores the load generator
 * takes CPU from the server, and autocannon spent 140 µs per article page cycling through
 * 5,000 requests (more than the server itself), wrk about 20 (docs/benchmarks.md).
 */
export async function load(
  url: string,
  opts: { seconds: number; connections: number; headers?: Record<string, string>[]; requests?: LoadRequest[] },
): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'webook-load-'));
  const file = path.join(dir, 'requests.tsv');
  try {
    writeFileSync(file, `${requestLines(url, opts.requests ?? (opts.headers ?? [{}]).map((headers) => ({ headers })))}\n`);
    const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '10s', '-s', SCRIPT, url, '--', file];
    const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? new Error('the benchmarks drive HTTP with wrk: apt-get install wrk') : err;
    });
    const s = JSON.parse(stdout.trim().split('\n').pop()!) as WrkSummary;
    return {
      rps: s.requests / (s.durationUs / 1e6),
      total: s.requests,
      p50: Math.round(s.p50Us / 10) / 100, // ms, to 10 µs
      p99: Math.round(s.p99Us / 10) / 100,
      errors: s.connect + s.read + s.write + s.timeout,
      non2xx: s.status,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
