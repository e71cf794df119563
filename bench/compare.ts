import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DB } from '../src/db/schema.js';
import { openDatabase } from '../src/pkg/db/database.js';
import { NatsBus } from '../src/pkg/events/nats-bus.js';
import { load, type LoadRequest, type LoadResult } from './load.js';
import {
  assertPortFree,
  clearRedisPrefix,
  clientHeaders,
  cpuSeconds,
  finished,
  freshSqliteFile,
  killChildren,
  recreateMysqlDatabase,
  root,
  seedArticleData,
  serverEnv,
  start,
  waitFor,
} from './support.js';

/**
 * `npm run bench:compare -- <revision>`: this checkout's server against another
 * revision's, side by side, to tell whether a change made a route cheaper. On a shared
 * machine req/s moves by ±20% from minute to minute, so one run of each build, minutes
 * apart, says little. Here both builds serve one seeded database at the same time (on
 * ports of their own), and the load alternates between them in A B B A order, so a drift
 * of the machine weighs on both alike. Compare the server CPU per request first.
 *
 *   BENCH_ROUTE (page: GET /articles/pub/:id | profile: GET /users/profile)
 *   BENCH_MODE (embedded: SQLite + memory | production: MariaDB + Redis + NATS)
 *   BENCH_ROUNDS (4: A B, B A, A B, B A)  BENCH_SECONDS (6)  BENCH_CONNECTIONS (64)  BENCH_PORT (8490)
 *
 * The other revision is checked out into a temporary git worktree and built there; both
 * run against the schema of this checkout's migrations.
 */

const revision = process.argv[2] ?? 'HEAD';
const route = process.env.BENCH_ROUTE ?? 'page';
const mode = process.env.BENCH_MODE ?? 'embedded';
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const basePort = Number(process.env.BENCH_PORT ?? 8490);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/webook_bench_compare';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const natsUrl = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const PREFIX = 'webook-bench-compare:';
const BUS = { stream: 'WEBOOK_BENCH_COMPARE', subjectPrefix: 'webook-bench-compare' };
const UA = 'webook-bench';

interface Build {
  name: string;
  dir: string;
}

interface Sample {
  rps: number;
  cpuUs: number;
  /** Of cpuUs, the main thread's (the rest: worker threads, the collector's helpers). */
  mainUs: number;
  p99: number;
  bad: number;
}

/** The other revision, built in a worktree of its own (node_modules shared with this checkout). */
function checkOut(rev: string): Build & { remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'webook-compare-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
  const sha = git('rev-parse', '--short', rev);
  git('worktree', 'add', '--detach', dir, sha);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  return {
    name: `${rev} (${sha})`,
    dir,
    remove: () => {
      rmSync(path.join(dir, 'node_modules'));
      git('worktree', 'remove', '--force', dir);
    },
  };
}

/** A fresh database of the mode, with the article bench's data set (seedArticleData). */
async function seeded(): Promise<Record<string, string>> {
  let env: Record<string, string>;
  if (mode === 'production') {
    await recreateMysqlDatabase(mysqlUrl);
    await clearRedisPrefix(redisUrl, PREFIX);
    const bus = new NatsBus({ url: natsUrl, ...BUS });
    await bus.deleteStream();
    await bus.close();
    env = { WEBOOK_DB: mysqlUrl, WEBOOK_CACHE: redisUrl, WEBOOK_CACHE_PREFIX: PREFIX, WEBOOK_BUS: natsUrl, WEBOOK_BUS_STREAM: BUS.stream, WEBOOK_BUS_SUBJECT_PREFIX: BUS.subjectPrefix };
  } else if (mode === 'embedded') {
    env = { WEBOOK_DB: `sqlite:${freshSqliteFile()}`, WEBOOK_CACHE: 'memory' };
  } else {
    throw new Error(`BENCH_MODE must be embedded or production, not ${mode}`);
  }
  await seedArticleData({ ...serverEnv(basePort), ...env });
  return env;
}

/** The requests of the chosen route, one per client address (5,000), as the benches send them. */
async function routeRequests(base: string, env: Record<string, string>): Promise<LoadRequest[]> {
  const headers = await clientHeaders(base, 50, 5000, UA);
  if (route === 'profile') return headers.map((h) => ({ path: '/users/profile', headers: h }));
  if (route !== 'page') throw new Error(`BENCH_ROUTE must be page or profile, not ${route}`);
  const db = openDatabase<DB>(env.WEBOOK_DB!, { pool: 1 });
  const ids = (await db.db.selectFrom('published_articles').select('id').where('status', '=', 2).orderBy('id').execute()).map((r) => Number(r.id));
  await db.close();
  return headers.map((h, i) => ({ path: `/articles/pub/${ids[(i * 7919) % ids.length]}`, headers: h }));
}

async function measure(base: string, pid: number | undefined, requests: LoadRequest[]): Promise<Sample> {
  const cpu0 = cpuSeconds(pid);
  const main0 = cpuSeconds(pid, 'main thread');
  const r: LoadResult = await load(base, { seconds, connections, requests });
  const perRequest = (s: number) => (s * 1e6) / r.total;
  return { rps: r.rps, cpuUs: perRequest(cpuSeconds(pid) - cpu0), mainUs: perRequest(cpuSeconds(pid, 'main thread') - main0), p99: r.p99, bad: r.errors + r.non2xx };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const other = checkOut(revision);
  const builds: Build[] = [other, { name: 'this checkout', dir: root }];
  try {
    for (let p = basePort; p <= basePort + 2; p++) await assertPortFree(p);
    console.log(`compare (${route}, ${mode}): ${rounds} rounds of ${seconds}s, ${connections} connections, A = ${builds[0]!.name}, B = ${builds[1]!.name}`);
    const env = await seeded();
    const servers = builds.map((b, i) => {
      const port = basePort + 1 + i;
      const child = start([path.join(b.dir, 'dist/src/main.js')], { ...serverEnv(port), ...env });
      return { ...b, base: `http://127.0.0.1:${port}`, child, samples: [] as Sample[] };
    });
    for (const s of servers) await waitFor(`${s.base}/readyz`);
    const requests = await routeRequests(servers[1]!.base, env);
    for (const s of servers) {
      for (const r of requests) await fetch(`${s.base}${r.path}`, { headers: r.headers }).then((res) => res.arrayBuffer()); // first visits
      await load(s.base, { seconds: 3, connections, requests }); // warm-up: JIT settled
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const s of order) s.samples.push(await measure(s.base, s.child.pid, requests));
      const [a, b] = servers;
      const said = (x: Sample) => `${Math.round(x.rps)} req/s ${x.cpuUs.toFixed(1)} µs/req (main thread ${x.mainUs.toFixed(1)})`;
      console.log(`round ${round + 1}: A ${said(a!.samples[round]!)} | B ${said(b!.samples[round]!)}`);
    }
    const rows = servers.map((s) => ({
      name: s.name,
      rps: median(s.samples.map((x) => x.rps)),
      cpuUs: median(s.samples.map((x) => x.cpuUs)),
      mainUs: median(s.samples.map((x) => x.mainUs)),
      all: s.samples.map((x) => `${Math.round(x.rps)} / ${x.cpuUs.toFixed(1)}`).join(', '),
      p99: median(s.samples.map((x) => x.p99)),
      bad: s.samples.reduce((n, x) => n + x.bad, 0),
    }));
    const [a, b] = rows;
    console.log(
      [
        '',
        `| build | req/s (median) | server CPU µs/req (median) | of which the main thread's | p99 ms (median) | every round: req/s / µs | bad responses |`,
        '|---|---|---|---|---|---|---|',
        ...rows.map((r) => `| ${r.name} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.cpuUs.toFixed(1)} | ${r.mainUs.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.all} | ${r.bad} |`),
        '',
        `B / A: req/s ${((b!.rps / a!.rps) * 100).toFixed(1)}%, server CPU per request ${((b!.cpuUs / a!.cpuUs) * 100).toFixed(1)}%, the main thread's ${((b!.mainUs / a!.mainUs) * 100).toFixed(1)}%`,
      ].join('\n'),
    );
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await finished(s.child);
    }
  } finally {
    other.remove();
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killChildren());
