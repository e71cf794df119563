/** Reads of published articles, published in batches; counted by interactive's read counter. */
export const ARTICLE_READ = 'article.read';

/**
 * One `article.read` event carries the reads one instance saw in the last moment (up to
 * a few hundred): a read costs the page a push onto three arrays, not a round trip to the
 * bus. The event id makes the whole batch count exactly once.
 *
 * The reads are columns: read i is `aids[i]` read by `uids[i]` (0 for an anonymous
 * reader) at `ats[i]` (epoch ms). Arrays of numbers rather than an object per read: a
 * batch lives until its counter's next transaction (up to a second), long enough for the
 * garbage collector to move it to the old generation, and objects there are what its
 * full collections have to trace. At 13,000 pages a second, an object per read (twice:
 * the recorder's and the consumer's copy) made most of what was promoted, a full
 * collection every three seconds, and the embedded page's p99 at 70% of its peak 40-75 ms
 * (docs/benchmarks.md, 2026-11-29, read batches as columns).
 */
export interface ArticleReadBatch {
  aids: number[];
  uids: number[];
  ats: number[];
}

/**
 * The form published before the columns, `{ reads: [{ aid, uid, at }] }`: a JetStream
 * stream may still hold events of it after an upgrade, and they count the same.
 */
interface ArticleReadBatchV1 {
  reads: { aid: number; uid: number; at: number }[];
}

/** The article ids of an event of either form; whatever is not a valid id is left out. */
export function readAids(payload: unknown): number[] {
  const p = payload as Partial<ArticleReadBatch & ArticleReadBatchV1> | null | undefined;
  const aids: unknown[] = Array.isArray(p?.aids) ? p.aids : Array.isArray(p?.reads) ? p.reads.map((r) => (r as { aid?: unknown } | null)?.aid) : [];
  return aids.filter((aid): aid is number => Number.isSafeInteger(aid) && (aid as number) > 0);
}

/**
 * Lifecycle of the readers' copy. Written to the outbox (pkg/events/outbox.ts) in the
 * publish / withdraw transaction and relayed to the bus after the commit, so a consumer
 * (search index, feed) never misses one, even when the bus was down at that moment.
 * Delivery is at least once and in no guaranteed order: a consumer that needs the
 * current state reads it (e.g. ArticleService.publishedFresh) instead of trusting order.
 */
export const ARTICLE_PUBLISHED = 'article.published';
export const ARTICLE_WITHDRAWN = 'article.withdrawn';

/** Also sent on every republish (an edit becomes visible) and on republishing a withdrawn article. */
export interface ArticlePublished {
  id: number;
  authorId: number;
  title: string;
  /** Epoch ms of this publication (the readers' copy's utime). */
  at: number;
}

export interface ArticleWithdrawn {
  id: number;
  authorId: number;
  at: number;
}

/**
 * Stable event ids: the same publication always has the same id, so a relay that
 * publishes a row twice (two instances, or a crash before the row was deleted) is
 * deduplicated by the bus, and consumers may key their ledgers on it.
 */
export const publishedEventId = (id: number, at: number) => `${ARTICLE_PUBLISHED}:${id}:${at}`;
export const withdrawnEventId = (id: number, at: number) => `${ARTICLE_WITHDRAWN}:${id}:${at}`;
