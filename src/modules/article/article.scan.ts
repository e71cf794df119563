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

/** Where the previous page ended, in (utime, id) order, and how much utime the next query should cover. */
export interface ScanCursor {
  utime: number;
  id: number;
  /** Milliseconds of utime per query, learnt from the density seen so far. */
  span: number;
}

export interface ScanPage {
  rows: PublishedHeader[];
  /** Null after the last page. */
  next: ScanCursor | null;
}

/** Articles changed in [since, until]. */
export interface ScanRange {
  since: number;
  until: number;
}

/** A slice may grow at most this much at once (sparse stretch) before it is measured again. */
const MAX_GROWTH = 8;

/**
 * Pages through published articles changed in a time range, in (utime, id) order, with
 * keyset pagination: each page starts after the last row of the previous one, so every
 * page costs the same however deep the scan is (OFFSET would re-read all skipped rows).
 *
 * Each query also has an upper utime bound, sized to hold about one page. Why: given only
 * `status = 2 AND utime > ?`, MariaDB 10.11 walks the (status, utime) index from the first
 * published article (a `ref` on status) while the rest of the range looks large, which
 * made every page cost O(pages read so far): 3 s for 100k articles, minutes for 1M. A
 * bounded slice is always a small `range` there, and costs nothing on SQLite and
 * PostgreSQL, which use the index either way.
 */
export class PublishedArticleScan {
  constructor(private readonly db: Kysely<DB>) {}

  async page(range: ScanRange, after: ScanCursor | undefined, limit: number): Promise<ScanPage> {
    let from = after ?? { utime: range.since, id: 0, span: Math.max(1, Math.ceil((range.until - range.since) / 64)) };
    for (;;) {
      const upper = Math.min(from.utime + from.span, range.until + 1);
      const rows = await this.slice(from, upper, limit);
      if (rows.length === limit) {
        const last = rows[limit - 1]!;
        // These `limit` rows took (last.utime - from.utime) of time: ask for about as much next.
        return { rows, next: { utime: last.utime, id: last.id, span: Math.max(1, last.utime - from.utime + 1) } };
      }
      // The slice [from, upper) is done.
      if (upper > range.until) return { rows, next: null };
      const growth = rows.length === 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, limit / rows.length);
      const next = { utime: upper, id: 0, span: Math.max(1, Math.ceil(from.span * growth)) };
      if (rows.length > 0) return { rows, next };
      from = next; // an empty stretch: look further before answering
    }
  }

  private async slice(from: ScanCursor, upper: number, limit: number): Promise<PublishedHeader[]> {
    const rows = await this.db
      .selectFrom('published_articles')
      .select(['id', 'author_id', 'title', 'ctime', 'utime'])
      .where('status', '=', ArticleStatus.published)
      .where('utime', '>=', from.utime)
      .where('utime', '<', upper)
      .where((eb) => eb.or([eb('utime', '>', from.utime), eb('id', '>', from.id)]))
      .orderBy('utime')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), authorId: Number(r.author_id), title: r.title, ctime: Number(r.ctime), utime: Number(r.utime) }));
  }
}
