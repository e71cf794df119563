/** Reads of published articles, published in batches; counted by interactive's read counter. */
export const ARTICLE_READ = 'article.read';

export interface ArticleRead {
  aid: number;
  /** 0 for an anonymous reader. */
  uid: number;
  at: number;
}

/**
 * One `article.read` event carries the reads one instance saw in the last moment (up to
 * a few hundred): a read costs the page a push onto an array, not a round trip to the
 * bus. The event id makes the whole batch count exactly once.
 */
export interface ArticleReadBatch {
  reads: ArticleRead[];
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
