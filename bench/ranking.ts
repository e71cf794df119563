import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { migrations } from '../src/db/migrations/index.js';
import type { DB } from '../src/db/schema.js';
import { ArticleStatus } from '../src/modules/article/article.domain.js';
import { PublishedArticleScan } from '../src/modules/article/article.scan.js';
import { InteractiveDao } from '../src/modules/interactive/interactive.dao.js';
import { Biz } from '../src/modules/interactive/interactive.domain.js';
import { rankPublished } from '../src/modules/ranking/ranking.compute.js';
import { openDatabase, type Database } from '../src/pkg/db/database.js';
import { createMigrator, migrateToLatest } from '../src/pkg/db/migrator.js';
import { freshSqliteFile, recreateMysqlDatabase, recreatePgDatabase, root } from './support.js';

/**
 * `npm run bench:ranking`: the ranking job's pass (keyset pages of published articles, one
 * counter query per page, bounded heap) over n published articles with counters, on SQLite
 * and MariaDB. For each size the data set is seeded fresh (multi-row inserts), then the pass
 * runs three times, each in a new process started with --expose-gc so its heap figures are
 * the pass's own: wall time, heap growth over the baseline at its peak (sampled after every
 * page and every 5 ms) and peak RSS. The 100k and 1M figures side by side show whether
 * memory depends on n (it should not: O(N + batch)).
 *
 *   BENCH_SIZES (100000,1000000)  BENCH_ONLY (sqlite | mysql | postgres)  BENCH_BATCH (5000, the job's default)  BENCH_TOP_N (100)
 *   BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306/webook_bench_ranking)
 *   BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/webook_bench_ranking): PostgreSQL only on request (BENCH_ONLY=postgres)
 */
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const only = process.env.BENCH_ONLY?.toLowerCase();
const batchSize = Number(process.env.BENCH_BATCH ?? 5000);
const topN = Number(process.env.BENCH_TOP_N ?? 100);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/webook_bench_ranking';
const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/webook_bench_ranking';
const RUNS = 3;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 1);
const MB = 1024 * 1024;

/** mulberry32: the same seed, the same data set. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Article id of n: published in id order over the last 6 days (the default window is 7), as
 * ids are handed out at creation; one in ten edited again later (its utime moves, so the
 * scan meets it out of id order). Likes skewed like real ones.
 */
function rowsFor(from: number, to: number, n: number, rnd: () => number) {
  const articles = [];
  const counters = [];
  for (let id = from; id < to; id++) {
    const ctime = NOW - 144 * HOUR + Math.floor((id / n) * 143 * HOUR);
    const utime = rnd() < 0.1 ? ctime + Math.floor(rnd() * (NOW - ctime)) : ctime;
    const status = id % 50 === 0 ? ArticleStatus.private : ArticleStatus.published;
    // The scan never reads content: a short body keeps seeding fast without changing the pass.
    articles.push({ id, author_id: 1 + (id % 5000), title: `Article ${id}`, content: '-', status, ctime, utime });
    const likes = Math.floor(Math.exp(rnd() * 8)) - 1; // 0 .. ~3000, most under 20
    counters.push({ biz: Biz.article, biz_id: id, like_cnt: likes, read_cnt: likes * 20 + Math.floor(rnd() * 100), collect_cnt: Math.floor(likes / 4), ctime, utime });
  }
  return { articles, counters };
}

async function seed(database: Database<DB>, n: number): Promise<void> {
  await migrateToLatest(createMigrator(database.db as unknown as Kysely<unknown>, database.dialect, migrations));
  // Bound parameters per statement: SQLite allows 32,766, MySQL 65,535 (7 columns a row).
  const chunk = database.dialect === 'sqlite' ? 4000 : 8000;
  const rnd = random(2026);
  const started = performance.now();
  for (let from = 1; from <= n; from += chunk) {
    const { articles, counters } = rowsFor(from, Math.min(n + 1, from + chunk), n, rnd);
    await database.db.transaction().execute(async (tx) => {
      await tx.insertInto('published_articles').values(articles).execute();
      await tx.insertInto('interactives').values(counters).execute();
    });
    const done = Math.min(n, from + chunk - 1);
    const rate = Math.round(done / ((performance.now() - started) / 1000));
    process.stderr.write(`\r  seeding ${database.dialect}: ${done.toLocaleString('en')} / ${n.toLocaleString('en')} articles (${rate.toLocaleString('en')}/s)`);
  }
  process.stderr.write(`, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  // Fresh statistics, as a live database keeps them (a bulk load outruns autovacuum / auto-recalc).
  await sql.raw(database.dialect === 'mysql' ? 'analyze table published_articles, interactives' : 'analyze').execute(database.db);
}

interface PassResult {
  ms: number;
  /** CPU time of this process (user + system): the part of the pass the machine's other load cannot inflate much. */
  cpuMs: number;
  scanned: number;
  heapGrowthMb: number;
  rssPeakMb: number;
}

/** Child mode: one pass over an existing data set, measured; prints its figures as JSON. */
async function pass(url: string): Promise<void> {
  const database = openDatabase<DB>(url, { pool: 2 });
  const scan = new PublishedArticleScan(database.db);
  const counters = new InteractiveDao(database.db, database.dialect);
  await scan.page({ since: 0, until: NOW }, undefined, 1); // connection open and tables warm, outside the timing
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  let heapPeak = base.heapUsed;
  let rssPeak = base.rss;
  const sample = () => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
  };
  const sampler = setInterval(sample, 5);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { top, scanned } = await rankPublished(
    { page: (range, after, limit) => scan.page(range, after, limit), counters: async (ids) => (sample(), counters.countersOf(Biz.article, ids)) },
    { now: NOW, windowMs: 7 * 24 * HOUR, batchSize, topN },
  );
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  clearInterval(sampler);
  sample();
  if (top.length !== Math.min(topN, scanned)) throw new Error(`expected ${topN} ranked, got ${top.length}`);
  await database.close();
  const result: PassResult = { ms, cpuMs: (user + system) / 1000, scanned, heapGrowthMb: (heapPeak - base.heapUsed) / MB, rssPeakMb: rssPeak / MB };
  console.log(JSON.stringify(result));
}

function runPass(url: string): PassResult {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/ranking.ts', '--pass', url], {
    cwd: root,
    env: { ...process.env, BENCH_BATCH: String(batchSize), BENCH_TOP_N: String(topN) },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`pass failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as PassResult;
}


async function measure(dialect: 'sqlite' | 'mysql' | 'postgres', n: number): Promise<void> {
  const url = dialect === 'sqlite' ? `sqlite:${freshSqliteFile()}` : dialect === 'mysql' ? mysqlUrl : pgUrl;
  if (dialect === 'mysql') await recreateMysqlDatabase(mysqlUrl);
  if (dialect === 'postgres') await recreatePgDatabase(pgUrl);
  const database = openDatabase<DB>(url, { pool: 2 });
  await seed(database, n);
  await database.close();
  const load = loadavg()[0]!.toFixed(1);
  const runs = Array.from({ length: RUNS }, () => runPass(url));
  if (dialect === 'sqlite') rmSync(path.dirname(url.slice('sqlite:'.length)), { recursive: true, force: true });
  const median = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(RUNS / 2)]!;
  console.log(
    `${dialect.padEnd(6)} n=${n.toLocaleString('en').padStart(9)} scanned=${median.scanned.toLocaleString('en')} batch=${batchSize} N=${topN}: ` +
      `median ${(median.ms / 1000).toFixed(2)} s (runs ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ')} s; ` +
      `this process's CPU ${runs.map((r) => (r.cpuMs / 1000).toFixed(2)).join(', ')} s), ` +
      `load average ${load}, heap growth at peak ${Math.max(...runs.map((r) => r.heapGrowthMb)).toFixed(1)} MB, peak RSS ${Math.max(...runs.map((r) => r.rssPeakMb)).toFixed(0)} MB`,
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === '--pass') return pass(process.argv[3]!);
  for (const dialect of ['sqlite', 'mysql', 'postgres'] as const) {
    if (only ? only !== dialect : dialect === 'postgres') continue;
    for (const n of sizes) await measure(dialect, n);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
