import { sql } from 'kysely';
import type { Container } from '../src/ioc/container.js';
import { FeedDao } from '../src/modules/feed/feed.dao.js';
import { FollowDao } from '../src/modules/follow/follow.dao.js';
import { decodeCursor } from '../src/modules/feed/feed.domain.js';
import { benchContainer, freshSqliteFile, recreateMysqlDatabase } from './support.js';

/**
 * `npm run bench:feed`: feed read latency for readers who follow BENCH_FOLLOWS (500) authors,
 * mixed push and pull, on SQLite and MariaDB. In-process and sequential (one read at a time),
 * so the figures are the cost of one read, not of a saturated server:
 * - `service`: FeedService.read, what GET /feed runs: the reader's followees (cache), the inbox
 *   query and the outbox query, the merge, then titles (article cache) and author names (user cache);
 * - `sql`: the three queries alone (the followee ids from the database).
 * Data: BENCH_AUTHORS (10,000) authors with BENCH_ARTICLES (5) articles each, of whom every tenth is popular
 * (pulled at read time, fanned_out = 0) and the others ordinary (pushed: one inbox row per
 * follower and article); BENCH_READERS (50) readers, each following BENCH_FOLLOWS authors, a
 * tenth of them popular. Deterministic (no randomness): the same data every run.
 *
 *   BENCH_READS (300 per scenario)  BENCH_READERS (50)  BENCH_FOLLOWS (500)  BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306/webook_bench_feed)  BENCH_ONLY (sqlite | mysql)
 */
const AUTHORS = Number(process.env.BENCH_AUTHORS ?? 10_000);
const articlesPerAuthor = Number(process.env.BENCH_ARTICLES ?? 5);
const readers = Number(process.env.BENCH_READERS ?? 50);
const follows = Number(process.env.BENCH_FOLLOWS ?? 500);
const reads = Number(process.env.BENCH_READS ?? 300);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/webook_bench_feed';
const only = process.env.BENCH_ONLY?.toLowerCase();
const BATCH = 500;
const T0 = 1_700_000_000_000;

const isPopular = (author: number) => author % 10 === 0;
/** Reader r follows `follows` consecutive authors (from a reader-specific start): a tenth are popular, as in the population. */
const followeesOf = (r: number) => Array.from({ length: follows }, (_, k) => 1 + ((r * 7 + k) % AUTHORS));
/** Article a of author u, published at a time that interleaves authors. */
const articleId = (u: number, a: number) => a * AUTHORS + u;
const articleTime = (u: number, a: number) => T0 + articleId(u, a) * 1000;

async function insertAll(c: Container, table: 'users' | 'published_articles' | 'follow_relations' | 'feed_push_events' | 'feed_pull_events', rows: Record<string, unknown>[]) {
  const db = c.backends.database.db;
  for (let i = 0; i < rows.length; i += BATCH) await db.insertInto(table).values(rows.slice(i, i + BATCH) as never).execute();
}

async function load(c: Container): Promise<void> {
  const users = Array.from({ length: AUTHORS + readers }, (_, i) => ({ id: i + 1, email: `u${i + 1}@bench.test`, nickname: `User ${i + 1}`, about_me: '', ctime: T0, utime: T0 }));
  await insertAll(c, 'users', users);
  const articles: Record<string, unknown>[] = [];
  const outbox: Record<string, unknown>[] = [];
  for (let u = 1; u <= AUTHORS; u++) {
    for (let a = 0; a < articlesPerAuthor; a++) {
      const id = articleId(u, a);
      const ctime = articleTime(u, a);
      articles.push({ id, author_id: u, title: `Article ${id}`, content: `Body of article ${id}.`, status: 2, ctime, utime: ctime });
      outbox.push({ actor_id: u, kind: 'article', ref_key: `article:${id}`, ext: JSON.stringify({ articleId: id, title: `Article ${id}` }), fanned_out: isPopular(u) ? 0 : 1, ctime });
    }
  }
  await insertAll(c, 'published_articles', articles);
  await insertAll(c, 'feed_pull_events', outbox);
  for (let r = 0; r < readers; r++) {
    const uid = AUTHORS + 1 + r;
    const followees = followeesOf(r);
    await insertAll(c, 'follow_relations', followees.map((f) => ({ follower_id: uid, followee_id: f, ctime: T0 })));
    const inbox = followees
      .filter((u) => !isPopular(u))
      .flatMap((u) => Array.from({ length: articlesPerAuthor }, (_, a) => ({ uid, actor_id: u, kind: 'article', ref_key: `article:${articleId(u, a)}`, ext: JSON.stringify({ articleId: articleId(u, a), title: `Article ${articleId(u, a)}` }), ctime: articleTime(u, a) })));
    await insertAll(c, 'feed_push_events', inbox);
    process.stdout.write(`\r  loaded reader ${r + 1} / ${readers}`);
  }
  process.stdout.write('\n');
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** The cursor that starts page `page` (1-based) of a reader's feed, found by paging. */
async function cursorOfPage(c: Container, uid: number, page: number): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let p = 1; p < page; p++) cursor = (await c.feed.service.read(uid, cursor ? decodeCursor(cursor) : undefined, 20)).nextCursor ?? undefined;
  return cursor;
}

async function scenario(c: Container, name: string, page: number): Promise<string> {
  const dao = new FeedDao(c.backends.database.db, c.backends.database.dialect);
  const follows = new FollowDao(c.backends.database.db, c.backends.database.dialect);
  const starts = await Promise.all(Array.from({ length: readers }, (_, r) => cursorOfPage(c, AUTHORS + 1 + r, page)));
  const service: number[] = [];
  const queries: number[] = [];
  let items = 0;
  for (let i = 0; i < reads; i++) {
    const r = i % readers;
    const uid = AUTHORS + 1 + r;
    const cursor = starts[r] ? decodeCursor(starts[r]) : undefined;
    service.push(await timed(async () => (items += (await c.feed.service.read(uid, cursor, 20)).items.length)));
    queries.push(
      await timed(async () => {
        const followees = await follows.followeeIds(uid);
        await Promise.all([dao.inbox(uid, followees, cursor, 21), dao.outboxes(followees, cursor, 21)]);
      }),
    );
  }
  service.sort((a, b) => a - b);
  queries.sort((a, b) => a - b);
  return `| ${name} | page ${page} | ${(items / reads).toFixed(1)} | ${ms(percentile(service, 50))} / ${ms(percentile(service, 99))} | ${ms(percentile(queries, 50))} / ${ms(percentile(queries, 99))} |`;
}

async function measure(name: string, dbUrl: string): Promise<string[]> {
  const c = await benchContainer(dbUrl, { WEBOOK_JOBS: 'false' });
  try {
    const t0 = performance.now();
    await load(c);
    // Fresh statistics, as a table that grew over months has: right after a bulk load InnoDB's
    // sampled ones are stale and MariaDB may scan the whole outbox instead of its index.
    const tables = ['feed_pull_events', 'feed_push_events', 'follow_relations'];
    await sql.raw(c.backends.database.dialect === 'mysql' ? `analyze table ${tables.join(', ')}` : 'analyze').execute(c.backends.database.db);
    console.log(`  ${name}: loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    for (let r = 0; r < readers; r++) await c.feed.service.read(AUTHORS + 1 + r, undefined, 20); // warm-up: caches and plans
    const rows: string[] = [];
    for (const page of [1, 10]) {
      rows.push(await scenario(c, name, page));
      console.log(rows.at(-1));
    }
    return rows;
  } finally {
    await c.close();
  }
}

async function main() {
  const inbox = readers * Math.round(follows * 0.9) * articlesPerAuthor;
  console.log(`feed bench: ${readers} readers following ${follows} of ${AUTHORS} authors each (a tenth popular), ${AUTHORS * articlesPerAuthor} articles, ~${inbox} inbox rows, ${reads} reads per scenario`);
  const rows: string[] = [];
  if (!only || only === 'sqlite') rows.push(...(await measure('SQLite', `sqlite:${freshSqliteFile()}`)));
  if (!only || only === 'mysql') {
    await recreateMysqlDatabase(mysqlUrl);
    rows.push(...(await measure('MariaDB', mysqlUrl)));
  }
  console.log('\n| backend | feed page (20 items) | items | service p50 / p99 ms | SQL p50 / p99 ms |\n|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
