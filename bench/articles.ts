import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { ARTICLE_READ, type ArticleReadBatch } from '../src/modules/article/article.events.js';
import { openDatabase, type Database } from '../src/pkg/db/database.js';
import { NatsBus } from '../src/pkg/events/nats-bus.js';
import { load as drive } from './load.js';
import { PACED_WARMUP_SECONDS, type PacedResult } from './paced.js';
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
 * `npm run bench:articles` (the second half of `npm run bench`): the reader's article page,
 * GET /articles/pub/:id with a token, on the seeded data set (10k articles, 1k users),
 * against a bare Fastify hello-world measured in the same run; then the same page at a
 * steady 70% of its peak rate for the latency goal (open-loop, bench/paced.ts), and at that rate again
 * with every request a reader's first view of its article, and hello-world at that rate too, plain and
 * with the page's average body (the tail the host and the client alone give); then the read-event pipeline on NATS: events/s from publish to counters
 * committed in MariaDB. In production modes the CPU that Redis, MariaDB and NATS spend per
 * page is reported beside the server's, at the peak and at 70%.
 *
 *   BENCH_SECONDS (10)  BENCH_ROUNDS (3)  BENCH_PACED_RUNS (3)  BENCH_CONNECTIONS (64)  BENCH_CLIENTS (5000)  BENCH_READS (200000)
 *   BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306/webook_bench_articles)  BENCH_REDIS_URL  BENCH_NATS_URL
 *   BENCH_ONLY (a word of a scenario's name)  BENCH_PORT (8290: hello-world; the servers use the next ports)
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/** Open-loop runs of the page at 70% of its peak (each beside one of hello-world at that rate); the median p99 is reported. */
const pacedRuns = Number(process.env.BENCH_PACED_RUNS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const clientCount = Number(process.env.BENCH_CLIENTS ?? 5000);
const readCount = Number(process.env.BENCH_READS ?? 200_000);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/webook_bench_articles';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const natsUrl = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const only = process.env.BENCH_ONLY?.toLowerCase();
/** hello-world listens here, the servers on the next ports. */
const basePort = Number(process.env.BENCH_PORT ?? 8290);
const helloBase = `http://127.0.0.1:${basePort}`;
const UA = 'webook-bench';
const BUS = { stream: 'WEBOOK_BENCH_ARTICLES', subjectPrefix: 'webook-bench-articles' };

interface Round {
  before: Load;
  page: Load;
  after: Load;
  ratio: number;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  /** The server's main-thread CPU per request (µs): the thread whose time bounds one process's req/s. */
  mainUs: number;
  /** What the backing servers spent per request (µs), when asked for. */
  backing?: Backing;
}

const backingCpu = backingMeter({ mysql: mysqlUrl, redis: redisUrl, nats: natsUrl });

/** Closed-loop peak (wrk, bench/load.ts): as many requests as the server answers; with `withBacking`, the backing servers' CPU too. */
async function load(base: string, pid: number | undefined, requests: { path: string; headers: Record<string, string> }[], withBacking = false): Promise<Load> {
  const backing0 = withBacking ? await backingCpu() : undefined;
  const before = cpuSeconds(pid, 'main thread');
  const r = await drive(base, { seconds, connections, requests });
  const mainUs = ((cpuSeconds(pid, 'main thread') - before) / r.total) * 1e6;
  const backing = backing0 && backingPer(backing0, await backingCpu(), r.total);
  return { rps: r.rps, p50: r.p50, p99: r.p99, bad: r.errors + r.non2xx, mainUs, backing };
}

/** Sends every request once, 32 at a time, so no measured run pays for a first visit. */
async function touchAll(base: string, requests: { path: string; headers: Record<string, string> }[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const { path: p, headers } = requests[next++]!;
      await fetch(`${base}${p}`, { headers }).then((r) => r.arrayBuffer());
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

const pacedRun = (base: string, requests: { path: string; headers: Record<string, string> }[], rate: number) =>
  pacedInOwnProcess(base, requests, { rate, seconds, connections });

/** A paced run of `sent` requests (its warm-up included), with the servers' CPU time per request over it (µs), and the backing servers' with `withBacking`. */
async function pacedWithCpu(
  pids: (number | undefined)[],
  sent: number,
  run: () => Promise<PacedResult>,
  withBacking = false,
): Promise<PacedResult & { cpuMicros: number; backing?: Backing }> {
  const used = () => pids.reduce<number>((sum, pid) => sum + (pid === undefined ? 0 : cpuSeconds(pid)), 0);
  const backing0 = withBacking ? await backingCpu() : undefined;
  const before = used();
  const result = await run();
  const cpuMicros = ((used() - before) / sent) * 1e6;
  return { ...result, cpuMicros, backing: backing0 && backingPer(backing0, await backingCpu(), sent) };
}

/** The element whose `key` is the median (the lower middle of an even count). */
const medianBy = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor((xs.length - 1) / 2)]!;
const fmt = (r: Pick<Load, 'rps' | 'p50' | 'p99'>) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cpu = (r: Load) => `${r.mainUs.toFixed(1)} µs main-thread CPU/req`;


interface Scenario {
  name: string;
  env: Record<string, string>;
  prepare(): Promise<void>;
  /** Whether the read events go through NATS (the pipeline is measured then). */
  nats: boolean;
  /**
   * Production's split: the API instance runs neither consumers nor jobs
   * (WEBOOK_CONSUMERS / WEBOOK_JOBS false) and a second instance of the same build runs them. Its CPU
   * is counted in the server's CPU per page; the main thread's is the API instance's alone.
   */
  worker?: boolean;
}

async function resetServers(): Promise<void> {
  await recreateMysqlDatabase(mysqlUrl);
  await clearRedisPrefix(redisUrl, 'webook-bench-articles:');
  const bus = new NatsBus({ url: natsUrl, ...BUS });
  await bus.deleteStream();
  await bus.close();
}

const sqliteFile = freshSqliteFile();
const scenarios: Scenario[] = [
  { name: 'embedded (SQLite + memory cache + in-process bus)', env: { WEBOOK_DB: `sqlite:${sqliteFile}`, WEBOOK_CACHE: 'memory' }, prepare: async () => {}, nats: false },
  {
    name: 'MariaDB + Redis + NATS',
    env: { WEBOOK_DB: mysqlUrl, WEBOOK_CACHE: redisUrl, WEBOOK_CACHE_PREFIX: 'webook-bench-articles:', WEBOOK_BUS: natsUrl, WEBOOK_BUS_STREAM: BUS.stream, WEBOOK_BUS_SUBJECT_PREFIX: BUS.subjectPrefix },
    prepare: resetServers,
    nats: true,
  },
  {
    name: 'MariaDB + Redis + NATS, consumers and jobs in a worker instance',
    env: { WEBOOK_DB: mysqlUrl, WEBOOK_CACHE: redisUrl, WEBOOK_CACHE_PREFIX: 'webook-bench-articles:', WEBOOK_BUS: natsUrl, WEBOOK_BUS_STREAM: BUS.stream, WEBOOK_BUS_SUBJECT_PREFIX: BUS.subjectPrefix },
    prepare: resetServers,
    nats: true,
    worker: true,
  },
];

type Request = { path: string; headers: Record<string, string> };

/** Readers logged in; client address i sends the token of user i % READERS. */
const READERS = 50;

/**
 * The page's requests: one per client address, its own token and a published article,
 * sent over and over (the peak and the 70% runs); and `firstViews` more, each pairing a
 * reader with an article that reader has not opened in this run, so nothing cached for
 * that reader and article (its liked / collected flags) can answer it, as for most real
 * traffic. The article itself is in the shared cache by then.
 */
async function readerRequests(base: string, db: Database<DB>): Promise<{ repeated: Request[]; firstViews(count: number): Request[] }> {
  if (clientCount % READERS !== 0) throw new Error(`BENCH_CLIENTS must be a multiple of ${READERS}`);
  const headers = await clientHeaders(base, READERS, clientCount, UA);
  const ids = (await db.db.selectFrom('published_articles').select('id').where('status', '=', 2).orderBy('id').execute()).map((r) => Number(r.id));
  const pairOf = (client: number, article: number) => `${client % READERS}:${article}`;
  const repeated = headers.map((h, i) => ({ path: `/articles/pub/${ids[(i * 7919) % ids.length]}`, headers: h, pair: pairOf(i, ids[(i * 7919) % ids.length]!) }));
  const seen = new Set(repeated.map((r) => r.pair));
  const firstViews = (count: number) => {
    const fresh: Request[] = [];
    // Pair k: reader k % READERS (client k % clientCount sends that reader's token), its (k / READERS)-th article.
    for (let k = 0; fresh.length < count; k++) {
      if (k >= READERS * ids.length) throw new Error(`only ${fresh.length} first views exist; ask for fewer (BENCH_SECONDS)`);
      const aid = ids[(Math.floor(k / READERS) * 7919) % ids.length]!;
      if (!seen.has(pairOf(k, aid))) fresh.push({ path: `/articles/pub/${aid}`, headers: headers[k % clientCount]! });
    }
    return fresh;
  };
  return { repeated: repeated.map(({ path: p, headers: h }) => ({ path: p, headers: h })), firstViews };
}

const totalReads = async (db: Database<DB>) =>
  Number((await db.db.selectFrom('interactives').select(sql<number>`coalesce(sum(read_cnt), 0)`.as('n')).executeTakeFirstOrThrow()).n);

/** Waits until the counters stop moving (the consumer caught up). */
async function settled(db: Database<DB>): Promise<number> {
  let last = -1;
  for (;;) {
    const now = await totalReads(db);
    if (now === last) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Publishes `reads` reads through NATS, `perEvent` to an event (the server's read recorder
 * sends up to 500 per event under load; 1 per event is the worst case, a quiet site), and
 * times them until MariaDB has counted them all (at most two minutes).
 */
async function pipeline(db: Database<DB>, ids: number[], total: number, perEvent: number): Promise<{ readsPerSecond: number; eventsPerSecond: number }> {
  const bus = new NatsBus({ url: natsUrl, ...BUS });
  await bus.ping();
  const before = await settled(db);
  const started = performance.now();
  const events = Math.ceil(total / perEvent);
  for (let e = 0; e < events; e += 64) {
    await Promise.all(
      Array.from({ length: Math.min(64, events - e) }, (_, k) => {
        const first = (e + k) * perEvent;
        const aids = Array.from({ length: Math.min(perEvent, total - first) }, (_, j) => ids[(first + j) % ids.length]!);
        const batch: ArticleReadBatch = { aids, uids: aids.map(() => 0), ats: aids.map(() => Date.now()) };
        return bus.publish(ARTICLE_READ, batch);
      }),
    );
  }
  const deadline = performance.now() + 120_000;
  while ((await totalReads(db)) < before + total) {
    if (performance.now() > deadline) throw new Error(`pipeline: only ${(await totalReads(db)) - before} of ${total} reads counted after two minutes`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await bus.close();
  return { readsPerSecond: total / seconds, eventsPerSecond: events / seconds };
}

async function main(): Promise<void> {
  const version = execFileSync(process.execPath, ['-v']).toString().trim();
  console.log(`bench (articles): ${seconds}s per measurement, ${connections} connections, ${clientCount} client addresses, Node ${version}`);
  for (let p = basePort; p <= basePort + 2 * scenarios.length; p++) await assertPortFree(p);
  const hello = start(['--import', 'tsx', 'bench/hello.ts'], { PORT: String(basePort) });
  await waitFor(`${helloBase}/hello`);
  const helloRequests = [{ path: '/hello', headers: {} }];
  const rows: string[] = [];
  const pipelineRows: string[] = [];

  for (const [i, scenario] of scenarios.entries()) {
    if (only && !scenario.name.toLowerCase().includes(only)) continue;
    console.log(`\n## ${scenario.name}`);
    const port = basePort + 1 + i;
    const env: Record<string, string> = { ...serverEnv(port), ...scenario.env };
    await scenario.prepare();
    console.log(`  search index: ${await seedArticleData(env)} articles indexed`);
    const db = openDatabase<DB>(env.WEBOOK_DB!, { pool: 2 });

    const workerPort = basePort + 1 + scenarios.length + i;
    const worker = scenario.worker ? start(['dist/src/main.js'], { ...env, ...serverEnv(workerPort) }) : undefined;
    const server = start(['dist/src/main.js'], scenario.worker ? { ...env, WEBOOK_CONSUMERS: 'false', WEBOOK_JOBS: 'false' } : env);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`);
    if (worker) await waitFor(`http://127.0.0.1:${workerPort}/readyz`);
    const serverPids = [server.pid, worker?.pid];
    const { repeated: requests, firstViews } = await readerRequests(base, db);

    await touchAll(base, requests); // every article once: the open-loop run below visits them all
    await load(base, server.pid, requests); // warm-up: JIT settled
    await load(helloBase, hello.pid, helloRequests);
    const readsBefore = await totalReads(db);
    // Rounds of hello-world, page, hello-world, each round's ratio against the mean of its
    // two hello-worlds; the median round is reported, so one disturbed run moves it less.
    const results: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      const before = await load(helloBase, hello.pid, helloRequests);
      const page = await load(base, server.pid, requests, scenario.nats);
      const after = await load(helloBase, hello.pid, helloRequests);
      const round = { before, page, after, ratio: page.rps / ((before.rps + after.rps) / 2) };
      results.push(round);
      const backing = page.backing ? `, Redis / MariaDB / NATS ${fmtBacking(page.backing)} µs/req` : '';
      console.log(`round ${r + 1}: hello-world ${fmt(before)}, ${cpu(before)} / ${fmt(after)}, ${cpu(after)}; page ${fmt(page)}, ${cpu(page)}${backing}; ratio ${pct(round.ratio)}`);
    }
    const { before, page, after, ratio } = [...results].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds - 1) / 2)]!;
    const spread = results.map((x) => x.ratio).sort((a, b) => a - b).map(pct).join(', ');
    const badInRounds = results.reduce((n, x) => n + x.page.bad, 0);
    const sameBytes = await load(helloBase, hello.pid, [{ path: '/hello-body', headers: {} }]);
    const baseline = (before.rps + after.rps) / 2;
    const helloMainUs = (before.mainUs + after.mainUs) / 2;
    await settled(db); // the reads of the closed-loop runs are counted first, not during the run below
    // Open-loop at 70% of the peak: latency counted from when each request was due (bench/paced.ts).
    const rate = Math.round(page.rps * 0.7);
    const sent = rate * (seconds + PACED_WARMUP_SECONDS);
    // Several runs, the page's alternated with hello-world's at the same rate (the tail that the
    // host and the client give any server); the median of each is reported. One run's p99 is
    // set by the worst second or two of ten, and this host's speed moves by half within minutes.
    const pageRuns: (PacedResult & { cpuMicros: number; backing?: Backing })[] = [];
    const helloRuns: PacedResult[] = [];
    for (let k = 0; k < pacedRuns; k++) {
      await settled(db);
      pageRuns.push(await pacedWithCpu(serverPids, sent, () => pacedRun(base, requests, rate), scenario.nats));
      helloRuns.push(await pacedRun(helloBase, helloRequests, rate));
    }
    const at70 = medianBy(pageRuns, (r) => r.p99);
    const helloAt70 = medianBy(helloRuns, (r) => r.p99);
    const p99s = (runs: PacedResult[]) => runs.map((r) => r.p99).join(', ');
    await settled(db);
    const first = await pacedWithCpu(serverPids, sent, () => pacedRun(base, firstViews(sent), rate));
    // hello-world with the page's average body, since the client's and the kernel's share grows with the bytes.
    const helloBodyAt70 = await pacedRun(helloBase, [{ path: '/hello-body', headers: {} }], rate);
    const counted = (await settled(db)) - readsBefore;
    console.log(`hello-world:            ${fmt(before)}, ${cpu(before)} / ${fmt(after)}, ${cpu(after)}`);
    console.log(`GET /articles/pub/:id:  ${fmt(page)}, ${cpu(page)}  bad responses ${badInRounds} in ${rounds} rounds`);
    console.log(`hello-world, 5.3 KB body: ${fmt(sameBytes)} (page / this: ${((page.rps / sameBytes.rps) * 100).toFixed(1)}%)`);
    console.log(`  at 70% of that rate, median of ${pacedRuns} runs by p99:  ${fmt(at70)}  (p99s ${p99s(pageRuns)})  bad responses ${pageRuns.reduce((n, r) => n + r.bad, 0)}`);
    console.log(`  first views, same rate: ${fmt(first)}  bad responses ${first.bad}`);
    console.log(`  hello-world, same rate, median of ${pacedRuns} runs by p99: ${fmt(helloAt70)}  (p99s ${p99s(helloRuns)})  bad responses ${helloRuns.reduce((n, r) => n + r.bad, 0)}`);
    console.log(`  hello-world with a 5.3 KB body, same rate: ${fmt(helloBodyAt70)}  bad responses ${helloBodyAt70.bad}`);
    console.log(`  server CPU per page at that rate: ${at70.cpuMicros.toFixed(1)} µs repeated, ${first.cpuMicros.toFixed(1)} µs first views`);
    if (scenario.nats) console.log(`  backing servers' CPU per page, Redis / MariaDB / NATS: ${fmtBacking(page.backing)} µs at the peak (median round), ${fmtBacking(at70.backing)} µs at 70% (median run)`);
    console.log(`ratio page / hello-world, median of ${rounds} rounds: ${pct(ratio)} (rounds ${spread}; goal >= 50%); p99 at 70%: ${at70.p99} ms (goal < 20 ms)`);
    console.log(`read events counted for the measured load runs: ${counted.toLocaleString('en-US')}`);
    rows.push(
      `| ${scenario.name} | ${Math.round(baseline).toLocaleString('en-US')} | ${Math.round(page.rps).toLocaleString('en-US')} | ${page.p50.toFixed(1)} / ${page.p99.toFixed(1)} | ` +
        `**${pct(ratio)}** | ${spread} | ${helloMainUs.toFixed(1)} / ${page.mainUs.toFixed(1)} | ${Math.round(sameBytes.rps).toLocaleString('en-US')} | ${((page.rps / sameBytes.rps) * 100).toFixed(1)}% | ` +
        `${Math.round(at70.rps).toLocaleString('en-US')} | **${at70.p99}** | ${p99s(pageRuns)} | ${helloAt70.p99} (${p99s(helloRuns)}) / ${helloBodyAt70.p99} | ${at70.cpuMicros.toFixed(1)} | ` +
        `${fmtBacking(page.backing)} | ${fmtBacking(at70.backing)} | ${first.p50} / ${first.p99} | ${first.cpuMicros.toFixed(1)} | ${badInRounds + pageRuns.reduce((n, r) => n + r.bad, 0) + first.bad} |`,
    );
    if (scenario.nats) {
      const ids = (await db.db.selectFrom('published_articles').select('id').limit(2000).execute()).map((r) => Number(r.id));
      for (const [reads, perEvent] of [[readCount, 100], [Math.round(readCount / 10), 1]] as const) {
        const p = await pipeline(db, ids, reads, perEvent);
        console.log(`read-event pipeline, ${perEvent} read(s) per event: ${Math.round(p.readsPerSecond).toLocaleString('en-US')} reads/s (${Math.round(p.eventsPerSecond).toLocaleString('en-US')} events/s) from publish to counters in MariaDB`);
        pipelineRows.push(`| ${scenario.name} | ${reads.toLocaleString('en-US')} in events of ${perEvent} | **${Math.round(p.readsPerSecond).toLocaleString('en-US')}** | ${Math.round(p.eventsPerSecond).toLocaleString('en-US')} |`);
      }
    }
    await db.close();
    for (const child of [server, worker]) child?.kill('SIGTERM');
    await Promise.all([server, worker].map((child) => child && finished(child)));
  }
  hello.kill('SIGTERM');

  const table = [
    '| mode | hello-world req/s | page req/s | page p50 / p99 ms | ratio (median round) | all rounds | main-thread µs/req hello-world / page | hello-world with a 5.3 KB body, req/s | page / that | req/s at 70% | p99 at 70% (ms, median run) | each run | hello-world p99 at that rate, plain (each run) / 5.3 KB body (ms) | server µs/page at 70% | Redis / MariaDB / NATS µs/page, peak | the same at 70% | first views at 70%: p50 / p99 ms | server µs per first view | bad responses |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '| read-event pipeline | reads | reads/s, publish -> counters committed in MariaDB | events/s |',
    '|---|---|---|---|',
    ...pipelineRows,
  ].join('\n');
  console.log(`\n${table}`);
  writeFileSync(path.join(root, 'bench', 'last-run-articles.md'), `${new Date().toISOString()} Node ${version}\n\n${table}\n`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    killChildren();
  });
