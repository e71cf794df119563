import { Faker, en, faker as enFaker, zh_CN } from '@faker-js/faker';
import type { Container } from '../src/ioc/container.js';
import { SearchDao } from '../src/modules/search/search.dao.js';
import { termsOf } from '../src/modules/search/search.segmenter.js';
import { indexText } from '../src/pkg/db/fulltext.js';
import { sql } from 'kysely';
import { benchContainer, freshSqliteFile, recreateMysqlDatabase, recreatePgDatabase } from './support.js';

/**
 * `npm run bench:search`: search latency over a corpus of published articles, on SQLite
 * and MariaDB (and PostgreSQL). In-process and sequential (one query at a time), so the figures are the cost
 * of one search, not of a saturated server:
 * - `service`: SearchService.search, what GET /search runs: segment the query, the full-text
 *   query joined with the published table, then the page's articles (cache) and author names;
 * - `sql`: the full-text query alone (SearchDao.search).
 * The corpus: BENCH_ARTICLES articles (100,000), 60% English and 40% Chinese, words drawn
 * from fixed vocabularies with a skewed (Zipf-like) frequency, 1-3 tags of 40, 1,000 authors.
 * The same seed gives the same corpus and queries.
 *
 *   BENCH_ARTICLES (100000)  BENCH_QUERIES (300 per kind)  BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306/webook_bench_search)
 *   BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/webook_bench_search)  BENCH_ONLY (sqlite | mysql | postgres)
 */
const articleCount = Number(process.env.BENCH_ARTICLES ?? 100_000);
const queryCount = Number(process.env.BENCH_QUERIES ?? 300);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/webook_bench_search';
const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/webook_bench_search';
const only = process.env.BENCH_ONLY?.toLowerCase();
const AUTHORS = 1000;
const BATCH = 500;

const zh = new Faker({ locale: [zh_CN, en], seed: 7 });
enFaker.seed(7);

/** n distinct values of gen (or as many as it can make). */
function vocabulary(gen: () => string, n: number): string[] {
  const words = new Set<string>();
  for (let tries = 0; words.size < n && tries < n * 50; tries++) words.add(gen());
  return [...words];
}
const english = vocabulary(() => enFaker.word.sample().toLowerCase(), 5000);
const chinese = vocabulary(() => zh.helpers.arrayElement([zh.word.noun, zh.word.verb, zh.word.adjective])(), 3000);
const tagNames = vocabulary(() => enFaker.hacker.noun().toLowerCase().replace(/[^a-z0-9 ]/g, ''), 40);

/** Frequent words first: index = n * u^2.5 puts most draws at the head of the list. */
const zipf = (words: string[]) => words[Math.floor(words.length * enFaker.number.float({ min: 0, max: 1 }) ** 2.5)]!;
const words = (list: string[], min: number, max: number) => Array.from({ length: enFaker.number.int({ min, max }) }, () => zipf(list));

function article(i: number) {
  const isChinese = i % 5 < 2;
  const join = (w: string[]) => (isChinese ? w.join('') : w.join(' '));
  const sentences = Array.from({ length: enFaker.number.int({ min: 8, max: 20 }) }, () => join(words(isChinese ? chinese : english, 6, 14)));
  return {
    title: join(words(isChinese ? chinese : english, 3, 7)),
    content: sentences.join(isChinese ? '。' : '. '),
    tags: enFaker.helpers.arrayElements(tagNames, { min: 1, max: 3 }),
    authorId: 1 + (i % AUTHORS),
  };
}

async function load(c: Container): Promise<void> {
  const { db, dialect } = c.backends.database;
  const users = Array.from({ length: AUTHORS }, (_, i) => ({
    email: `author${i}@bench.test`,
    nickname: i % 2 ? zh.person.fullName() : enFaker.person.fullName(),
    about_me: '',
    ctime: 0,
    utime: 0,
  }));
  for (let i = 0; i < users.length; i += BATCH) await db.insertInto('users').values(users.slice(i, i + BATCH)).execute();
  const names = users.map((u) => u.nickname);
  for (let start = 0; start < articleCount; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, articleCount - start) }, (_, k) => ({ id: start + k + 1, ...article(start + k) }));
    const utime = (id: number) => 1_700_000_000_000 + id * 1000;
    await db
      .insertInto('published_articles')
      .values(batch.map((a) => ({ id: a.id, author_id: a.authorId, title: a.title, content: a.content, tags: JSON.stringify(a.tags), status: 2, ctime: utime(a.id), utime: utime(a.id) })))
      .execute();
    await db
      .insertInto('search_articles')
      .values(
        batch.map((a) => ({
          article_id: a.id,
          title_terms: indexText(dialect, termsOf(a.title)),
          body_terms: indexText(dialect, termsOf(a.content)),
          tags: indexText(dialect, a.tags.flatMap(termsOf)),
          author_name: indexText(dialect, termsOf(names[a.authorId - 1]!)),
          utime: utime(a.id),
        })),
      )
      .execute();
    if ((start / BATCH) % 20 === 0) process.stdout.write(`\r  loaded ${start + batch.length} / ${articleCount}`);
  }
  process.stdout.write('\n');
  // Fresh statistics, as autovacuum / InnoDB's auto-recalculation would have after such a load:
  // PostgreSQL otherwise plans for the empty tables it saw at creation.
  await sql.raw(dialect === 'mysql' ? 'analyze table published_articles, search_articles' : 'analyze').execute(db);
}

/** What readers type, by kind. */
const queryKinds: Record<string, () => string> = {
  'common English word (top 10)': () => english[enFaker.number.int(9)]!,
  'rarer English word': () => english[enFaker.number.int({ min: 500, max: english.length - 1 })]!,
  'two English words': () => `${zipf(english)} ${zipf(english)}`,
  'Chinese word': () => zipf(chinese),
  'tag': () => enFaker.helpers.arrayElement(tagNames),
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function measure(name: string, dbUrl: string): Promise<string[]> {
  const c = await benchContainer(dbUrl);
  try {
    const t0 = performance.now();
    await load(c);
    console.log(`  ${name}: ${articleCount} articles loaded and indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const sqlOnly = new SearchDao(c.backends.database.db, c.backends.database.dialect);
    const rows: string[] = [];
    for (const [kind, make] of Object.entries(queryKinds)) {
      const queries = Array.from({ length: queryCount }, make);
      for (const q of queries.slice(0, 20)) await c.search.service.search(q, 0, 20); // warm-up
      const service: number[] = [];
      const sql: number[] = [];
      let hits = 0;
      for (const q of queries) {
        service.push(await timed(async () => (hits += (await c.search.service.search(q, 0, 20)).list.length)));
        const terms = [...new Set(termsOf(q))];
        sql.push(await timed(() => sqlOnly.search(terms, 0, 21)));
      }
      service.sort((a, b) => a - b);
      sql.sort((a, b) => a - b);
      rows.push(
        `| ${name} | ${kind} | ${(hits / queries.length).toFixed(1)} | ${ms(percentile(service, 50))} / ${ms(percentile(service, 99))} | ${ms(percentile(sql, 50))} / ${ms(percentile(sql, 99))} |`,
      );
      console.log(rows.at(-1));
    }
    return rows;
  } finally {
    await c.close();
  }
}


async function main() {
  console.log(`search bench: ${articleCount} articles, ${queryCount} queries per kind, vocabularies ${english.length} English / ${chinese.length} Chinese words`);
  const rows: string[] = [];
  if (!only || only === 'sqlite') rows.push(...(await measure('SQLite (FTS5)', `sqlite:${freshSqliteFile()}`)));
  if (!only || only === 'mysql') {
    await recreateMysqlDatabase(mysqlUrl);
    rows.push(...(await measure('MariaDB (InnoDB FULLTEXT)', mysqlUrl)));
  }
  if (only === 'postgres') {
    await recreatePgDatabase(pgUrl);
    rows.push(...(await measure('PostgreSQL (tsvector + GIN)', pgUrl)));
  }
  console.log('\n| backend | query | hits per page (of 20) | service p50 / p99 ms | SQL p50 / p99 ms |\n|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
