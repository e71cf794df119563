import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { openDatabase } from '../src/pkg/db/database.js';
import { load, type LoadResult } from './load.js';
import { seedUsers } from './seed.js';

/**
 * `npm run bench`: GET /users/profile with a valid token against a bare Fastify hello-world
 * measured in the same run, for the embedded mode and for MariaDB + Redis. The server runs
 * as built (`node dist/src/main.js`) in production mode, in its own process, as behind a
 * load balancer: the load comes from BENCH_CLIENTS client addresses (X-Forwarded-For,
 * trusted), each held to the default per-IP rate limit, which stays on.
 *
 *   BENCH_SECONDS (10)  BENCH_CONNECTIONS (64)  BENCH_USERS (1000)  BENCH_CLIENTS (5000)
 *   BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306/webook_bench)  BENCH_REDIS_URL (redis://127.0.0.1:6379/0)
 *   BENCH_ONLY (a word of a scenario's name)  BENCH_SERVER_ARGS (extra node flags, e.g. --cpu-prof)
 *   BENCH_NODE (the node binary for the servers, hello-world included; default: this one)
 */
const root = path.resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const userCount = Number(process.env.BENCH_USERS ?? 1000);
const clientCount = Number(process.env.BENCH_CLIENTS ?? 5000);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/webook_bench';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const only = process.env.BENCH_ONLY?.toLowerCase();
const serverArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
const serverNode = process.env.BENCH_NODE ?? process.execPath;
const PASSWORD = 'bench#Pass1';
const UA = 'webook-bench';
const children: ChildProcess[] = [];

function start(args: string[], env: Record<string, string>, node = serverNode): ChildProcess {
  const child = spawn(node, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return child;
}

function finished(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

interface Scenario {
  name: string;
  env: Record<string, string>;
  prepare(): Promise<void>;
}

async function recreateMysql(): Promise<void> {
  const u = new URL(mysqlUrl);
  const name = u.pathname.slice(1);
  u.pathname = '/';
  const admin = openDatabase<unknown>(u.toString(), { pool: 1 });
  await sql.raw(`drop database if exists ${name}`).execute(admin.db);
  await sql.raw(`create database ${name} character set utf8mb4 collate utf8mb4_bin`).execute(admin.db);
  await admin.close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys('webook-bench:*');
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

const sqliteFile = path.join(mkdtempSync(path.join(tmpdir(), 'webook-bench-')), 'bench.db');
const scenarios: Scenario[] = [
  { name: 'embedded (SQLite + memory cache)', env: { WEBOOK_DB: `sqlite:${sqliteFile}`, WEBOOK_CACHE: 'memory' }, prepare: async () => {} },
  {
    name: 'MariaDB + Redis',
    env: { WEBOOK_DB: mysqlUrl, WEBOOK_CACHE: redisUrl, WEBOOK_CACHE_PREFIX: 'webook-bench:' },
    prepare: recreateMysql,
  },
];

const serverEnv = (port: number) => ({
  WEBOOK_MODE: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  LOG_LEVEL: 'warn',
  WEBOOK_JWT_ACCESS_SECRET: 'bench-access-secret-0123456789abcdefghijkl',
  WEBOOK_JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdefghijkl',
  WEBOOK_TRUST_PROXY: 'true',
  WEBOOK_RATELIMIT_AUTH_MAX: '1000000', // the 50 logins below come from one address
});

/** Client i's address, as a load balancer would pass it on. */
const clientIp = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Logs in n users; returns one header set per client address, cycling through their tokens. */
async function loginTokens(base: string, n: number): Promise<Record<string, string>[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': UA },
      body: JSON.stringify({ email: `bench-${i}@example.com`, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    tokens.push(`Bearer ${res.headers.get('x-jwt-token')}`);
  }
  return Array.from({ length: clientCount }, (_, i) => ({
    authorization: tokens[i % tokens.length]!,
    'user-agent': UA,
    'x-forwarded-for': clientIp(i),
  }));
}

const fmt = (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;

async function main(): Promise<void> {
  const serverVersion = execFileSync(serverNode, ['-v']).toString().trim();
  console.log(
    `bench: ${seconds}s per measurement, ${connections} connections, ${clientCount} client addresses, ` +
      `${userCount} seeded users, servers on Node ${serverVersion}`,
  );
  const hello = start(['--import', 'tsx', 'bench/hello.ts'], { PORT: '8090' });
  await waitFor('http://127.0.0.1:8090/hello');
  const passwordHash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
  const rows: string[] = [];

  for (const [i, scenario] of scenarios.entries()) {
    if (only && !scenario.name.toLowerCase().includes(only)) continue;
    console.log(`\n## ${scenario.name}`);
    const port = 8100 + i;
    const env: Record<string, string> = { ...serverEnv(port), ...scenario.env };
    await scenario.prepare();
    const migrate = start(['dist/src/cli/migrate.js'], env, process.execPath);
    if ((await finished(migrate)) !== 0) throw new Error('migrate failed');
    const database = openDatabase<DB>(env.WEBOOK_DB!, { pool: 2 });
    await seedUsers(database.db, userCount, passwordHash);
    await database.close();

    const server = start([...serverArgs, 'dist/src/main.js'], env);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`);
    const headers = await loginTokens(base, Math.min(50, userCount));

    await load(`${base}/users/profile`, { seconds: 3, connections, headers }); // warm-up
    await load('http://127.0.0.1:8090/hello', { seconds: 3, connections });
    const before = await load('http://127.0.0.1:8090/hello', { seconds, connections });
    const profile = await load(`${base}/users/profile`, { seconds, connections, headers });
    const after = await load('http://127.0.0.1:8090/hello', { seconds, connections });
    const baseline = (before.rps + after.rps) / 2;
    const ratio = profile.rps / baseline;
    console.log(`hello-world (before): ${fmt(before)}`);
    console.log(`GET /users/profile:   ${fmt(profile)}  errors ${profile.errors}, non-2xx ${profile.non2xx}`);
    console.log(`hello-world (after):  ${fmt(after)}`);
    console.log(`ratio profile / hello-world: ${(ratio * 100).toFixed(1)}% (goal >= 60%)`);
    rows.push(
      `| ${scenario.name} | ${Math.round(baseline).toLocaleString('en-US')} | ${Math.round(profile.rps).toLocaleString('en-US')} | ` +
        `${profile.p50} / ${profile.p99} | ${before.p50} / ${before.p99} | **${(ratio * 100).toFixed(1)}%** | ${profile.errors + profile.non2xx} |`,
    );
    server.kill('SIGTERM');
    await finished(server);
  }
  hello.kill('SIGTERM');

  const table = [
    '| mode | hello-world req/s | profile req/s | profile p50 / p99 ms | hello p50 / p99 ms | ratio | errors |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(`\n${table}`);
  writeFileSync(path.join(root, 'bench', 'last-run.md'), `${new Date().toISOString()} servers on Node ${serverVersion}\n\n${table}\n`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });
