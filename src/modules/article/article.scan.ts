import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { ArticleStatus } from './article.domain.js';

/** What a full pass over published articles needs of each one: no content (it can be 100k characters). */
export interface PublishedHeader {
  id: number;
  authorId: number;
  title: string;
  /** First publication. */
  ctime: number;
  utime: number;
}

/** Where the previous page ended, in (utime, id) order. */
export interface ScanCursor {
  utime: number;
  id: number;
}

/**
 * Pages through published articles changed since a time, in (utime, id) order, with
 * keyset pagination: each page starts after the last row of the previous one, so every
 * page costs the same however deep the scan is (OFFSET would re-read all skipped rows).
 * The (status, utime) index serves the range.
 */
export class PublishedArticleScan {
  constructor(private readonly db: Kysely<DB>) {}

  async page(since: number, after: ScanCursor | undefined, limit: number): Promise<PublishedHeader[]> {
    const from = after ?? { utime: since, id: 0 };
    const rows = await this.db
      .selectFrom('published_articles')
      .select(['id', 'author_id', 'title', 'ctime', 'utime'])
      .where('status', '=', ArticleStatus.published)
      .where('utime', '>=', Math.max(since, from.utime))
      .where((eb) => eb.or([eb('utime', '>', from.utime), eb('id', '>', from.id)]))
      .orderBy('utime')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), authorId: Number(r.author_id), title: r.title, ctime: Number(r.ctime), utime: Number(r.utime) }));
  }
}
