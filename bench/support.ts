import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/config.js';
import { buildContainer, type Container } from '../src/ioc/container.js';
import { argon2Hasher } from '../src/pkg/crypto/password.js';
import { openDatabase } from '../src/pkg/db/database.js';
import { createLogger } from '../src/pkg/logger/logger.js';
import type { DB } from '../src/db/schema.js';
import { SEED_EMAIL_DOMAIN, SEED_PASSWORD, seedDatabase, type SeedProgress } from '../src/seed/seeder.js';
import type { PacedResult } from './paced.js';

/** What every benchmark script needs: child processes, readiness, clean servers, the server's env. */
export const root = path.resolve(import.meta.dirname, '..');

const children: ChildProcess[] = [];

/** Starts a node process in the repository root; killed by killChildren at the end. */
export function start(args: string[], env: Record<string, string>, node = process.execPath): ChildProcess {
  const child = spawn(node, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return child;
}

export function finished(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
}

export function killChildren(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}

/** Refuses to measure someone else's server: another benchmark may hold the port. */
export async function assertPortFree(port: number): Promise<void> {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
  } catch {
    return; // nothing listens: free
  }
  throw new Error(`port ${port} already answers: is another benchmark running? (figures would be meaningless)`);
}

export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

/** Drops and creates the database the URL names, utf8mb4 as the migrations expect. */
export async function recreateMysqlDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/';
  const admin = openDatabase<unknown>(u.toString(), { pool: 1 });
  await sql.raw(`drop database if exists ${name}`).execute(admin.db);
  await sql.raw(`create database ${name} character set utf8mb4 collate utf8mb4_bin`).execute(admin.db);
  await admin.close();
}

/** Drops and creates the PostgreSQL database the URL names. */
export async function recreatePgDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = openDatabase<unknown>(u.toString(), { pool: 1 });
  await sql.raw(`drop database if exists ${name}`).execute(admin.db);
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
}

export async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

/** A SQLite file in a fresh temporary directory. */
export const freshSqliteFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'webook-bench-')), 'bench.db');

/** Seeding progress as one line per phase (benchmark output is read as a log, not a terminal). */
export const lineProgress: SeedProgress = { phase: (name, total) => process.stdout.write(`  seeding ${name} (${total})\n`), advance() {}, done() {} };

/** Production mode with fixed bench secrets, quiet. */
const productionEnv = {
  WEBOOK_MODE: 'production',
  LOG_LEVEL: 'warn',
  WEBOOK_JWT_ACCESS_SECRET: 'bench-access-secret-0123456789abcdefghijkl',
  WEBOOK_JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdefghijkl',
};

/**
 * The seeded users' password hash, made as the server makes one (its default argon2id
 * parameters, the same in every mode), so logging them in costs what a real login costs.
 */
export const seedPasswordHash = (): Promise<string> => argon2Hasher(loadConfig({}).auth.argon2).hash(SEED_PASSWORD);

/**
 * A container in this process, as production builds it, on the given database (migrated),
 * for benchmarks that time services and queries rather than HTTP. No event consumers.
 */
export async function benchContainer(dbUrl: string, env: Record<string, string> = {}): Promise<Container> {
  const config = loadConfig({ ...productionEnv, WEBOOK_DB: dbUrl, WEBOOK_CONSUMERS: 'false', ...env });
  const container = buildContainer(config, { logger: createLogger('warn') });
  await container.migrate();
  return container;
}

/** The server as production runs it, behind a trusted proxy, quiet. */
export const serverEnv = (port: number): Record<string, string> => ({
  ...productionEnv,
  HOST: '127.0.0.1',
  PORT: String(port),
  WEBOOK_TRUST_PROXY: 'true',
  WEBOOK_RATELIMIT_AUTH_MAX: '1000000', // the benchmarks' logins come from one address
});

/** Client i's address, as a load balancer would pass it on. */
export const clientIp = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/**
 * Request headers for `clients` client addresses: seeded users 0..users-1 log in (with
 * `userAgent`, which their tokens are bound to), and client i sends user i % users's token
 * from its own address, as a load balancer would pass it on.
 */
export async function clientHeaders(base: string, users: number, clients: number, userAgent: string): Promise<Record<string, string>[]> {
  const tokens: string[] = [];
  for (let i = 0; i < users; i++) {
    const res = await fetch(`${base}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ email: `user${i}${SEED_EMAIL_DOMAIN}`, password: SEED_PASSWORD }),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    tokens.push(`Bearer ${res.headers.get('x-jwt-token')}`);
  }
  return Array.from({ length: clients }, (_, i) => ({ authorization: tokens[i % users]!, 'user-agent': userAgent, 'x-forwarded-for': clientIp(i) }));
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux), or NaN.
 * Per request, this is the figure to compare between versions on a shared, noisy
 * machine: req/s moves with whatever else runs, CPU time per request much less. The main
 * thread's share is what bounds one process's req/s (the event loop runs there).
 */
export function cpuSeconds(pid: number | undefined, only: 'process' | 'main thread' = 'process'): number {
  try {
    // A process's main thread is the task whose id is the process's.
    const stat = readFileSync(only === 'process' ? `/proc/${pid}/stat` : `/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** A CPU time in µs for a table: one decimal, '-' when it could not be read (NaN). */
export const us = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(1));

/** CPU seconds a Redis server has used so far (INFO cpu, so it works wherever Redis runs), or NaN. */
export async function redisCpuSeconds(url: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => {}); // unreachable: NaN below, not a log line
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const get = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
    return get('used_cpu_user') + get('used_cpu_sys');
  } catch {
    return NaN;
  } finally {
    redis.disconnect();
  }
}

/**
 * The process id of the server behind `url` when it runs on this machine under the program
 * name `program` (e.g. mariadbd, nats-server), for its CPU time from /proc; undefined for a
 * server elsewhere, or when no such process is found. Only loopback addresses are trusted
 * to be served by the local process of that name.
 */
export function localServerPid(url: string, program: string): number | undefined {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) return undefined;
  try {
    const pids = execFileSync('pidof', [program], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split(/\s+/);
    return pids.length === 1 ? Number(pids[0]) : undefined; // several: which one serves the URL is unknown
  } catch {
    return undefined;
  }
}

/**
 * CPU of the servers a production page also costs: Redis (from INFO, wherever it runs), and
 * MariaDB and NATS when they run on this machine (from /proc; NaN otherwise). On two shared
 * cores their time is taken from the server's, and part of it recurs per key and per
 * second rather than per page (docs/benchmarks.md).
 */
export interface Backing {
  redis: number;
  mariadb: number;
  nats: number;
}

/** Reads the backing servers' CPU seconds so far; their pids are looked up once, here. */
export function backingMeter(urls: { mysql: string; redis: string; nats: string }): () => Promise<Backing> {
  const pids = { mariadb: localServerPid(urls.mysql, 'mariadbd'), nats: localServerPid(urls.nats, 'nats-server') };
  return async () => ({ redis: await redisCpuSeconds(urls.redis), mariadb: cpuSeconds(pids.mariadb), nats: cpuSeconds(pids.nats) });
}

/** µs per request between two readings of a backingMeter. */
export const backingPer = (before: Backing, after: Backing, requests: number): Backing => ({
  redis: ((after.redis - before.redis) / requests) * 1e6,
  mariadb: ((after.mariadb - before.mariadb) / requests) * 1e6,
  nats: ((after.nats - before.nats) / requests) * 1e6,
});

export const fmtBacking = (b: Backing | undefined) => (b ? `${us(b.redis)} / ${us(b.mariadb)} / ${us(b.nats)}` : '-');

/**
 * An open-loop run (bench/paced.ts) in a child process of its own (bench/paced-run.ts), so
 * the client's event loop starts clean: whatever the benchmark did before (seeding, other
 * runs) would otherwise show up as server latency.
 */
export async function pacedInOwnProcess(
  base: string,
  requests: { path: string; headers: Record<string, string> }[],
  opts: { rate: number; seconds: number; connections: number },
): Promise<PacedResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'webook-paced-'));
  const file = path.join(dir, 'requests.json');
  try {
    writeFileSync(file, JSON.stringify(requests));
    const args = ['--import', 'tsx', 'bench/paced-run.ts', base, file, String(opts.rate), String(opts.seconds), String(opts.connections)];
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, args, { cwd: root, maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    return JSON.parse(out.trim().split('\n').pop()!) as PacedResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The article benches' data set (seed 42: 1,000 users, 10,000 articles, 30,000 likes, 10,000
 * collected items) in the database of `env`: migrated by the built CLI, seeded, and indexed
 * for search, as on a site that has been running (otherwise a server's start-up catch-up
 * segments every article during the measured runs). Returns how many articles were indexed.
 */
export async function seedArticleData(env: Record<string, string>): Promise<number> {
  if ((await finished(start(['dist/src/cli/migrate.js'], env))) !== 0) throw new Error('migrate failed');
  const db = openDatabase<DB>(env.WEBOOK_DB!, { pool: 2 });
  try {
    const hash = await seedPasswordHash();
    await seedDatabase(db.db, db.dialect, { users: 1000, articles: 10_000, likes: 30_000, collects: 10_000, seed: 42 }, hash, lineProgress);
  } finally {
    await db.close();
  }
  const indexer = await benchContainer(env.WEBOOK_DB!);
  try {
    return await indexer.search.service.catchUp();
  } finally {
    await indexer.close();
  }
}
