import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { ArticlesTable, DB, PublishedArticlesTable } from '../../db/schema.js';
import { inserted, insertReturningId, onConflictUpdate, type Dialect } from '../../pkg/db/dialect.js';
import { ArticleStatus, type Article, type ArticleDraft } from './article.domain.js';
import { parseTagsColumn, type TagCursor } from './article.tags.js';

type Row = Selectable<ArticlesTable> | Selectable<PublishedArticlesTable>;
/** The pool or a transaction (a Transaction is a Kysely). */
type Executor = Kysely<DB>;

const toArticle = (row: Row): Article => ({
  id: Number(row.id),
  authorId: Number(row.author_id),
  title: row.title,
  content: row.content,
  tags: parseTagsColumn(row.tags),
  status: row.status as ArticleStatus,
  ctime: Number(row.ctime),
  utime: Number(row.utime),
});

/** One page, last changed first (id breaks ties, so pages never overlap). */
const newestFirst =
  (offset: number, limit: number) =>
  <Q extends SelectQueryBuilder<DB, 'articles' | 'published_articles', Row>>(qb: Q) =>
    qb.orderBy('utime', 'desc').orderBy('id', 'desc').offset(offset).limit(limit) as Q;

/** Published articles by any of these authors, with this tag, among these ids (each optional, all must hold). */
export interface PublishedFilter {
  authorIds?: number[];
  tag?: string;
  ids?: number[];
}

/**
 * Queries of both article tables. Every author-side statement carries the author id in
 * its WHERE clause: another author's id finds nothing and changes nothing.
 */
export class ArticleDao {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  insert(tx: Executor, authorId: number, draft: ArticleDraft, status: ArticleStatus, now: number): Promise<number> {
    return insertReturningId(tx, this.dialect, 'articles', {
      author_id: authorId,
      title: draft.title,
      content: draft.content,
      tags: JSON.stringify(draft.tags ?? []),
      status,
      ctime: now,
      utime: now,
    });
  }

  /** False when the article is not this author's (or does not exist). */
  async update(tx: Executor, id: number, authorId: number, draft: ArticleDraft, status: ArticleStatus, now: number): Promise<boolean> {
    const tags = draft.tags === undefined ? {} : { tags: JSON.stringify(draft.tags) };
    const result = await tx
      .updateTable('articles')
      .set({ title: draft.title, content: draft.content, ...tags, status, utime: now })
      .where('id', '=', id)
      .where('author_id', '=', authorId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async setStatus(tx: Executor, id: number, authorId: number, status: ArticleStatus, now: number): Promise<void> {
    await tx.updateTable('articles').set({ status, utime: now }).where('id', '=', id).where('author_id', '=', authorId).execute();
    await tx.updateTable('published_articles').set({ status, utime: now }).where('id', '=', id).where('author_id', '=', authorId).execute();
    // Only published articles are listed under their tags.
    if (status !== ArticleStatus.published) await tx.deleteFrom('published_article_tags').where('article_id', '=', id).execute();
  }

  /** The readers' copy takes the author's; its ctime stays that of the first publication. Its tag rows are replaced. */
  async upsertPublished(tx: Executor, article: Article): Promise<void> {
    const row = {
      id: article.id,
      author_id: article.authorId,
      title: article.title,
      content: article.content,
      tags: JSON.stringify(article.tags),
      status: ArticleStatus.published,
      ctime: article.utime,
      utime: article.utime,
    };
    await tx
      .insertInto('published_articles')
      .values(row)
      .$call(
        onConflictUpdate(this.dialect, ['id'], {
          title: inserted(this.dialect, 'title'),
          content: inserted(this.dialect, 'content'),
          tags: inserted(this.dialect, 'tags'),
          status: inserted(this.dialect, 'status'),
          utime: inserted(this.dialect, 'utime'),
        }),
      )
      .execute();
    await tx.deleteFrom('published_article_tags').where('article_id', '=', article.id).execute();
    if (article.tags.length > 0) {
      await tx
        .insertInto('published_article_tags')
        .values(article.tags.map((tag) => ({ tag, article_id: article.id, utime: article.utime })))
        .execute();
    }
  }

  async findByAuthor(tx: Executor, id: number, authorId: number): Promise<Article | undefined> {
    const row = await tx.selectFrom('articles').selectAll().where('id', '=', id).where('author_id', '=', authorId).executeTakeFirst();
    return row && toArticle(row);
  }

  /** The author's articles, last changed first. */
  async listByAuthor(authorId: number, offset: number, limit: number): Promise<Article[]> {
    const rows = await this.db.selectFrom('articles').selectAll().where('author_id', '=', authorId).$call(newestFirst(offset, limit)).execute();
    return rows.map(toArticle);
  }

  /** The readers' copy in any status (withdraw needs to know whether one exists). */
  async findPublishedCopy(tx: Executor, id: number): Promise<Article | undefined> {
    const row = await tx.selectFrom('published_articles').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toArticle(row);
  }

  /** The newest published articles, for the home page. */
  async listPublished(offset: number, limit: number): Promise<Article[]> {
    const rows = await this.db
      .selectFrom('published_articles')
      .selectAll()
      .where('status', '=', ArticleStatus.published)
      .$call(newestFirst(offset, limit))
      .execute();
    return rows.map(toArticle);
  }

  /** A page of published articles matching the filter, last published first (offset paging, for APIs that ask for it). */
  async listPublishedWhere(filter: PublishedFilter, offset: number, limit: number): Promise<Article[]> {
    const rows = await this.publishedWhere(filter).selectAll('p').orderBy('p.utime', 'desc').orderBy('p.id', 'desc').offset(offset).limit(limit).execute();
    return rows.map(toArticle);
  }

  async countPublishedWhere(filter: PublishedFilter): Promise<number> {
    const row = await this.publishedWhere(filter).select((eb) => eb.fn.countAll<number>().as('cnt')).executeTakeFirstOrThrow();
    return Number(row.cnt);
  }

  /** Callers pass non-empty id lists (an empty one matches nothing and is answered without a query). */
  private publishedWhere(filter: PublishedFilter) {
    return this.db
      .selectFrom('published_articles as p')
      .where('p.status', '=', ArticleStatus.published)
      .$if(filter.authorIds !== undefined, (qb) => qb.where('p.author_id', 'in', filter.authorIds!))
      .$if(filter.ids !== undefined, (qb) => qb.where('p.id', 'in', filter.ids!))
      .$if(filter.tag !== undefined, (qb) =>
        qb.where((eb) => eb.exists(eb.selectFrom('published_article_tags as t').select('t.article_id').whereRef('t.article_id', '=', 'p.id').where('t.tag', '=', filter.tag!))),
      );
  }

  /** What readers may see: the published copy, only while published. */
  async findPublished(id: number): Promise<Article | undefined> {
    const row = await this.db
      .selectFrom('published_articles')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', ArticleStatus.published)
      .executeTakeFirst();
    return row && toArticle(row);
  }

  /** Tags of published articles with how many each has, most used first. */
  async tagCounts(limit: number): Promise<{ tag: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('published_article_tags')
      .select((eb) => ['tag', eb.fn.countAll<number>().as('cnt')])
      .groupBy('tag')
      .orderBy('cnt', 'desc')
      .orderBy('tag')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ tag: r.tag, count: Number(r.cnt) }));
  }

  /** Published articles with a tag, last published first, after the cursor (keyset: never OFFSET). */
  async listByTag(tag: string, after: TagCursor | undefined, limit: number): Promise<Article[]> {
    const rows = await this.db
      .selectFrom('published_article_tags as t')
      .innerJoin('published_articles as p', 'p.id', 't.article_id')
      .selectAll('p')
      .where('t.tag', '=', tag)
      .where('p.status', '=', ArticleStatus.published)
      .$if(after !== undefined, (qb) =>
        qb.where((eb) => eb.or([eb('t.utime', '<', after!.utime), eb.and([eb('t.utime', '=', after!.utime), eb('t.article_id', '<', after!.id)])])),
      )
      .orderBy('t.utime', 'desc')
      .orderBy('t.article_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toArticle);
  }
}
