import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DB } from '../src/db/schema.js';
import { openDatabase } from '../src/pkg/db/database.js';
import { NatsBus } from '../src/pkg/events/nats-bus.js';
import { load, type LoadRequest, type LoadResult } from './load.js';
import { PACED_WARMUP_SECONDS } from './paced.js';
import {
  assertPortFree,
  backingMeter,
  backingPer,
  clearRedisPrefix,
  clientHeaders,
  cpuSeconds,
  finished,
  fmtBacking,
  freshSqliteFile,
  killChildren,
  pacedInOwnProcess,
  recreateMysqlDatabase,
  root,
  seedArticleData,
  serverEnv,
  start,
  waitFor,
  type Backing,
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
 *   BENCH_ALONE (unset) when set, one server at a time, started afresh for each of its runs:
 *     for a change to work done on a clock (counting, syncing, refreshing), which the two
 *     servers side by side share (one durable consumer group) or hide (an idle server's
 *     clock work runs during the other's load)
 *   BENCH_RATE (unset) with BENCH_ALONE, each run is followed by one open-loop run at this
 *     many req/s (bench/paced.ts): its p99 and the CPU per request of the server and, in
 *     production, of Redis / MariaDB / NATS
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
const alone = Boolean(process.env.BENCH_ALONE);
const rate = Number(process.env.BENCH_RATE ?? 0);
const backingCpu = backingMeter({ mysql: mysqlUrl, redis: redisUrl, nats: natsUrl });

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
  /** The backing servers' CPU per request (production). */
  backing?: Backing;
  /** The open-loop run at BENCH_RATE that followed (BENCH_ALONE). */
  paced?: { p99: number; cpuUs: number; backing?: Backing; bad: number };
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
  const backing0 = mode === 'production' ? await backingCpu() : undefined;
  const cpu0 = cpuSeconds(pid);
  const main0 = cpuSeconds(pid, 'main thread');
  const r: LoadResult = await load(base, { seconds, connections, requests });
  const perRequest = (s: number) => (s * 1e6) / r.total;
  const sample: Sample = { rps: r.rps, cpuUs: perRequest(cpuSeconds(pid) - cpu0), mainUs: perRequest(cpuSeconds(pid, 'main thread') - main0), p99: r.p99, bad: r.errors + r.non2xx };
  return { ...sample, backing: backing0 && backingPer(backing0, await backingCpu(), r.total) };
}

/** The open-loop run at BENCH_RATE: its p99, and the CPU per request sent (its warm-up included). */
async function measurePaced(base: string, pid: number | undefined, requests: LoadRequest[]): Promise<NonNullable<Sample['paced']>> {
  const backing0 = mode === 'production' ? await backingCpu() : undefined;
  const cpu0 = cpuSeconds(pid);
  const r = await pacedInOwnProcess(base, requests.map((x) => ({ path: x.path!, headers: x.headers })), { rate, seconds, connections });
  const sent = rate * (seconds + PACED_WARMUP_SECONDS);
  return { p99: r.p99, cpuUs: ((cpuSeconds(pid) - cpu0) * 1e6) / sent, backing: backing0 && backingPer(backing0, await backingCpu(), sent), bad: r.bad };
}

/** Every request once, then a short load: the runs measured after it pay for no first visit and no JIT warm-up. */
async function warmUp(base: string, requests: LoadRequest[]): Promise<void> {
  for (const r of requests) await fetch(`${base}${r.path}`, { headers: r.headers }).then((res) => res.arrayBuffer());
  await load(base, { seconds: 3, connections, requests });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  if (rate && !alone) throw new Error('BENCH_RATE needs BENCH_ALONE: an open-loop run measures one server, not two side by side');
  const other = checkOut(revision);
  const builds: Build[] = [other, { name: 'this checkout', dir: root }];
  try {
    for (let p = basePort; p <= basePort + 2; p++) await assertPortFree(p);
    const how = alone ? `one server at a time${rate ? `, then ${rate} req/s open-loop` : ''}` : 'side by side';
    console.log(`compare (${route}, ${mode}, ${how}): ${rounds} rounds of ${seconds}s, ${connections} connections, A = ${builds[0]!.name}, B = ${builds[1]!.name}`);
    const env = await seeded();
    const servers = builds.map((b, i) => ({ ...b, port: basePort + 1 + i, samples: [] as Sample[] }));
    const launch = async (s: (typeof servers)[number]) => {
      const child = start([path.join(s.dir, 'dist/src/main.js')], { ...serverEnv(s.port), ...env });
      await waitFor(`http://127.0.0.1:${s.port}/readyz`);
      return child;
    };
    const stop = async (child: ChildProcess) => {
      child.kill('SIGTERM');
      await finished(child);
    };
    const baseOf = (s: (typeof servers)[number]) => `http://127.0.0.1:${s.port}`;
    let requests: LoadRequest[] | undefined;
    const running = alone ? undefined : await Promise.all(servers.map(launch));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const s of order) {
        const child = running ? running[servers.indexOf(s)]! : await launch(s);
        requests ??= await routeRequests(baseOf(s), env);
        if (alone || round === 0) await warmUp(baseOf(s), requests);
        const sample = await measure(baseOf(s), child.pid, requests);
        if (rate) sample.paced = await measurePaced(baseOf(s), child.pid, requests);
        s.samples.push(sample);
        if (!running) await stop(child);
      }
      const [a, b] = servers;
      console.log(`round ${round + 1}: A ${said(a!.samples[round]!)} | B ${said(b!.samples[round]!)}`);
    }
    if (running) for (const child of running) await stop(child);
    report(servers);
  } finally {
    other.remove();
  }
}

const said = (x: Sample) =>
  `${Math.round(x.rps)} req/s ${x.cpuUs.toFixed(1)} µs/req (main thread ${x.mainUs.toFixed(1)})` +
  (x.backing ? `, Redis / MariaDB / NATS ${fmtBacking(x.backing)}` : '') +
  (x.paced ? `; at ${rate} req/s p99 ${x.paced.p99} ms, ${x.paced.cpuUs.toFixed(1)} µs/req${x.paced.backing ? `, ${fmtBacking(x.paced.backing)}` : ''}` : '');

/** The medians of both builds, side by side, and B's against A's. */
function report(servers: { name: string; samples: Sample[] }[]): void {
  const medianOf = (xs: Sample[], key: (x: Sample) => number) => median(xs.map(key));
  const backingOf = (xs: Sample[], pick: (x: Sample) => Backing | undefined): Backing | undefined =>
    pick(xs[0]!) && { redis: medianOf(xs, (x) => pick(x)!.redis), mariadb: medianOf(xs, (x) => pick(x)!.mariadb), nats: medianOf(xs, (x) => pick(x)!.nats) };
  const rows = servers.map(({ name, samples: xs }) => ({
    name,
    rps: medianOf(xs, (x) => x.rps),
    cpuUs: medianOf(xs, (x) => x.cpuUs),
    mainUs: medianOf(xs, (x) => x.mainUs),
    all: xs.map((x) => `${Math.round(x.rps)} / ${x.cpuUs.toFixed(1)}`).join(', '),
    p99: medianOf(xs, (x) => x.p99),
    bad: xs.reduce((n, x) => n + x.bad + (x.paced?.bad ?? 0), 0),
    backing: backingOf(xs, (x) => x.backing),
    paced: rate ? { p99s: xs.map((x) => x.paced!.p99), p99: medianOf(xs, (x) => x.paced!.p99), cpuUs: medianOf(xs, (x) => x.paced!.cpuUs), backing: backingOf(xs, (x) => x.paced!.backing) } : undefined,
  }));
  type Column = [heading: string, cell: (r: (typeof rows)[number]) => string];
  const production = mode === 'production';
  const when = (yes: boolean | number, columns: Column[]) => (yes ? columns : []);
  // The backing servers' columns in production only, the paced run's with BENCH_RATE only.
  const columns: Column[] = [
    ['build', (r) => r.name],
    ['req/s (median)', (r) => Math.round(r.rps).toLocaleString('en-US')],
    ['server CPU µs/req (median)', (r) => r.cpuUs.toFixed(1)],
    ["of which the main thread's", (r) => r.mainUs.toFixed(1)],
    ['p99 ms (median)', (r) => r.p99.toFixed(1)],
    ['every round: req/s / µs', (r) => r.all],
    ['bad responses', (r) => String(r.bad)],
    ...when(production, [['Redis / MariaDB / NATS µs/req', (r) => fmtBacking(r.backing)]]),
    ...when(rate, [
      [`p99 at ${rate} req/s (median)`, (r) => r.paced!.p99.toFixed(1)],
      ['every run', (r) => r.paced!.p99s.join(', ')],
      ['server µs/req at that rate', (r) => r.paced!.cpuUs.toFixed(1)],
      ...when(production, [['Redis / MariaDB / NATS there', (r) => fmtBacking(r.paced!.backing)]]),
    ]),
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const [a, b] = rows;
  console.log(
    [
      '',
      line(columns.map(([heading]) => heading)),
      `|${'---|'.repeat(columns.length)}`,
      ...rows.map((r) => line(columns.map(([, cell]) => cell(r)))),
      '',
      `B / A: req/s ${((b!.rps / a!.rps) * 100).toFixed(1)}%, server CPU per request ${((b!.cpuUs / a!.cpuUs) * 100).toFixed(1)}%, the main thread's ${((b!.mainUs / a!.mainUs) * 100).toFixed(1)}%` +
        (a!.paced && b!.paced ? `; at ${rate} req/s: p99 ${b!.paced.p99.toFixed(1)} against ${a!.paced.p99.toFixed(1)} ms, server CPU per request ${((b!.paced.cpuUs / a!.paced.cpuUs) * 100).toFixed(1)}%` : ''),
    ].join('\n'),
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killChildren());
