import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { onConflictIgnore, type Dialect } from '../../pkg/db/dialect.js';
import { indexText, searchPublished } from '../../pkg/db/fulltext.js';
import { inTransaction } from '../../pkg/db/transaction.js';
import type { SearchDoc } from './search.domain.js';

/** published_articles.status of a published article (ArticleStatus.published; the article module owns the numbers). */
const PUBLISHED = 2;

/**
 * The search table. Writes are versioned by the readers' copy's utime: two consumers
 * handling events of one article at once (two instances, a redelivery) can finish in
 * either order, and the older state must never overwrite the newer.
 */
export class SearchDao {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Replaces the article's row unless the stored one is newer. */
  async put(doc: SearchDoc): Promise<void> {
    const row = {
      article_id: doc.articleId,
      title_terms: indexText(this.dialect, doc.titleTerms),
      body_terms: indexText(this.dialect, doc.bodyTerms),
      tags: indexText(this.dialect, doc.tagTerms),
      author_name: indexText(this.dialect, doc.authorTerms),
      utime: doc.version,
    };
    await inTransaction(this.db, async (tx) => {
      await tx.deleteFrom('search_articles').where('article_id', '=', doc.articleId).where('utime', '<=', doc.version).execute();
      // A newer row survived the delete: this insert is ignored and the newer state stays.
      await tx.insertInto('search_articles').values(row).$call(onConflictIgnore(this.dialect, ['article_id'])).execute();
    });
  }

  /** Removes the article's row unless it was written for a newer state (a republish after this withdraw). */
  async remove(articleId: number, version: number): Promise<void> {
    await this.db.deleteFrom('search_articles').where('article_id', '=', articleId).where('utime', '<=', version).execute();
  }

  /** Ids of published articles matching every term, most relevant first, then newest. */
  async search(terms: string[], offset: number, limit: number): Promise<number[]> {
    const hits = await searchPublished(this.dialect, this.db as unknown as Kysely<unknown>, terms, offset, limit);
    return hits.map((h) => h.id);
  }

  /** Ids of an author's published articles (their rows hold the author's name). */
  async publishedIdsOf(authorId: number): Promise<number[]> {
    const rows = await this.db.selectFrom('published_articles').select('id').where('author_id', '=', authorId).where('status', '=', PUBLISHED).orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }

  /** Published articles with no row in the index, after afterId in id order (an anti-join, cheap when none are missing). */
  async missingPublished(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('published_articles as p')
      .leftJoin('search_articles as s', 's.article_id', 'p.id')
      .select('p.id')
      .where('p.status', '=', PUBLISHED)
      .where('s.article_id', 'is', null)
      .where('p.id', '>', afterId)
      .orderBy('p.id')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.id));
  }
}
