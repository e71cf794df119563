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
