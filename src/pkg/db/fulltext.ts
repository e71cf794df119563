import { sql, type Kysely } from 'kysely';
import { longTextType, withTableOptions, type Dialect } from './dialect.js';

/**
 * Full-text search, the one dialect difference too big for dialect.ts: how the search
 * table is indexed and how it is queried. Callers hand in terms already segmented and
 * normalised (letters, digits and marks only, lower-cased), so all three engines see
 * the same words:
 * - SQLite: an FTS5 table over `search_articles` (external content, kept in step by
 *   triggers), ranked by bm25 with the title and tags weighted up;
 * - PostgreSQL: a stored, weighted `tsvector` column ('simple' configuration: the text is
 *   multilingual and already segmented, so no stemming) with a GIN index, ranked by ts_rank;
 * - MariaDB/MySQL: an InnoDB FULLTEXT index in boolean mode. InnoDB ignores tokens shorter
 *   than `innodb_ft_min_token_size` (3) and its English stop words, which would lose most
 *   two-character Chinese words and words like "go"; every term is therefore stored and
 *   queried with a two-letter prefix, which makes each token long enough and no stop word.
 *   Ranking sorts only a window of InnoDB's best matches (see searchPublished).
 */

/** Term prefix on MySQL (see above); a term never contains it as a separate token. */
const MYSQL_TERM_PREFIX = 'zz';
/** InnoDB's innodb_ft_max_token_size is 84: a term plus prefix must fit. */
export const MAX_TERM_LENGTH = 64;

const SEARCH_COLUMNS = ['title_terms', 'body_terms', 'tags', 'author_name'] as const;
/** Best matches beyond the requested page that MySQL's ranking window keeps (see searchPublished). */
const MYSQL_RANK_SLACK = 200;

/** The search table and its full-text index (migration 0010). */
export async function createSearchTable(dialect: Dialect, db: Kysely<unknown>): Promise<void> {
  // SQLite's FTS5 maps its rowid to an INTEGER PRIMARY KEY; BIGINT elsewhere.
  await withTableOptions(dialect, db.schema.createTable('search_articles'))
    .addColumn('article_id', dialect === 'sqlite' ? 'integer' : 'bigint', (c) => c.primaryKey())
    .addColumn('title_terms', 'text', (c) => c.notNull())
    .addColumn('body_terms', longTextType(dialect), (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('utime', 'bigint', (c) => c.notNull())
    .execute();
  switch (dialect) {
    case 'sqlite':
      await sql`create virtual table search_articles_fts using fts5(
        title_terms, body_terms, tags, author_name,
        content='search_articles', content_rowid='article_id', tokenize='unicode61 remove_diacritics 0')`.execute(db);
      // The documented external-content triggers: the FTS table follows every row change.
      await sql`create trigger search_articles_ai after insert on search_articles begin
        insert into search_articles_fts(rowid, title_terms, body_terms, tags, author_name)
        values (new.article_id, new.title_terms, new.body_terms, new.tags, new.author_name); end`.execute(db);
      await sql`create trigger search_articles_ad after delete on search_articles begin
        insert into search_articles_fts(search_articles_fts, rowid, title_terms, body_terms, tags, author_name)
        values ('delete', old.article_id, old.title_terms, old.body_terms, old.tags, old.author_name); end`.execute(db);
      await sql`create trigger search_articles_au after update on search_articles begin
        insert into search_articles_fts(search_articles_fts, rowid, title_terms, body_terms, tags, author_name)
        values ('delete', old.article_id, old.title_terms, old.body_terms, old.tags, old.author_name);
        insert into search_articles_fts(rowid, title_terms, body_terms, tags, author_name)
        values (new.article_id, new.title_terms, new.body_terms, new.tags, new.author_name); end`.execute(db);
      return;
    case 'postgres':
      await sql`alter table search_articles add column tsv tsvector generated always as (
        setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', tags), 'A') ||
        setweight(to_tsvector('simple', author_name), 'B') || setweight(to_tsvector('simple', body_terms), 'D')) stored`.execute(db);
      await sql`create index idx_search_articles_tsv on search_articles using gin (tsv)`.execute(db);
      return;
    case 'mysql':
      await sql`alter table search_articles add fulltext index ft_search_articles (title_terms, body_terms, tags, author_name)`.execute(db);
      return;
  }
}

export async function dropSearchTable(dialect: Dialect, db: Kysely<unknown>): Promise<void> {
  if (dialect === 'sqlite') await sql`drop table if exists search_articles_fts`.execute(db);
  await db.schema.dropTable('search_articles').execute();
}

/** Terms as stored in a search column: space-separated, prefixed on MySQL. */
export function indexText(dialect: Dialect, terms: string[]): string {
  return (dialect === 'mysql' ? terms.map((t) => MYSQL_TERM_PREFIX + t) : terms).join(' ');
}

export interface FullTextHit {
  id: number;
}

/**
 * Published articles matching every term, most relevant first, then most recently
 * published. Joined with `published_articles` so an article withdrawn after it was
 * indexed is never returned, however late the index catches up.
 */
export async function searchPublished(
  dialect: Dialect,
  db: Kysely<unknown>,
  terms: string[],
  offset: number,
  limit: number,
): Promise<FullTextHit[]> {
  if (terms.length === 0) return [];
  const published = (id: string) => sql`published_articles p on p.id = ${sql.ref(id)} and p.status = 2`;
  const order = sql`p.utime desc, p.id desc limit ${limit} offset ${offset}`;
  let query;
  switch (dialect) {
    case 'sqlite': {
      // Every term quoted: FTS5 reads bare words like AND, OR, NEAR as operators.
      const match = terms.map((t) => `"${t}"`).join(' ');
      query = sql<FullTextHit>`select search_articles_fts.rowid as id from search_articles_fts join ${published('search_articles_fts.rowid')}
        where search_articles_fts match ${match}
        order by bm25(search_articles_fts, 4.0, 1.0, 3.0, 2.0), ${order}`;
      break;
    }
    case 'postgres':
      query = sql<FullTextHit>`select s.article_id as id from search_articles s join ${published('s.article_id')}
        cross join plainto_tsquery('simple', ${terms.join(' ')}) q
        where s.tsv @@ q order by ts_rank(s.tsv, q) desc, ${order}`;
      break;
    case 'mysql': {
      const against = terms.map((t) => `+${MYSQL_TERM_PREFIX}${t}`).join(' ');
      const match = sql`match(${sql.join(SEARCH_COLUMNS.map((c) => sql.ref(`s.${c}`)))}) against (${against} in boolean mode)`;
      // InnoDB hands full-text matches over best first, but sorting them with ORDER BY fetches
      // every matching row first: seconds for a word in half of 100k articles. So the inner
      // query stops after the best `window` (LIMIT without ORDER BY keeps InnoDB's rank order),
      // and only those are joined and sorted.
      const window = offset + limit + MYSQL_RANK_SLACK;
      query = sql<FullTextHit>`select t.id from (select s.article_id as id, ${match} as score from search_articles s
        where ${match} limit ${window}) t join ${published('t.id')} order by t.score desc, ${order}`;
      break;
    }
  }
  const { rows } = await query.execute(db);
  return rows.map((r) => ({ id: Number(r.id) }));
}
