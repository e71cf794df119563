import type { PublishedHeader, ScanCursor } from '../article/article.scan.js';
import type { Counters } from '../interactive/interactive.domain.js';
import { TopN } from './ranking.heap.js';
import { hotScore, rankOrder } from './ranking.score.js';

/** Where the pass reads: keyset pages of published articles, and their counters per page. */
export interface RankingSources {
  page(since: number, after: ScanCursor | undefined, limit: number): Promise<PublishedHeader[]>;
  counters(articleIds: number[]): Promise<Map<number, Counters>>;
}

export interface ScoredArticle extends PublishedHeader, Counters {
  score: number;
}

export interface PassOptions {
  now: number;
  /** Articles whose last change is older than now - windowMs are not read. */
  windowMs: number;
  batchSize: number;
  topN: number;
  /** Checked between pages: a job that lost its lease stops early. */
  signal?: AbortSignal;
}

const NO_COUNTERS: Counters = { readCnt: 0, likeCnt: 0, collectCnt: 0 };

/**
 * One pass over the recently changed published articles: a page of headers, that page's
 * counters in one query, every article scored and offered to a bounded heap. The next
 * page is fetched while this page's counters are (on a server database the two queries
 * overlap; SQLite runs them in turn anyway). Only the heap (topN) and two pages are ever
 * held: memory O(N + batch), time O(n log N) for n articles.
 */
export async function rankPublished(sources: RankingSources, opts: PassOptions): Promise<{ top: ScoredArticle[]; scanned: number }> {
  const heap = new TopN<ScoredArticle>(opts.topN, rankOrder);
  const since = opts.now - opts.windowMs;
  const fetch = (after: ScanCursor | undefined) => {
    const page = sources.page(since, after, opts.batchSize);
    page.catch(() => {}); // if the pass stops first, a failed prefetch is not an unhandled rejection
    return page;
  };
  let next = fetch(undefined);
  let scanned = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    const page = await next;
    if (page.length === 0) break;
    const last = page[page.length - 1]!;
    const full = page.length === opts.batchSize;
    if (full) next = fetch({ utime: last.utime, id: last.id });
    const counters = await sources.counters(page.map((a) => a.id));
    for (const article of page) {
      const c = counters.get(article.id) ?? NO_COUNTERS;
      heap.offer({ ...article, ...c, score: hotScore(c.likeCnt, article.ctime, opts.now) });
    }
    scanned += page.length;
    if (!full) break;
  }
  return { top: heap.sorted(), scanned };
}
