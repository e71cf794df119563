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

/**
 * One pass over the recently changed published articles: a page of headers, that page's
 * counters in one query, every article scored and offered to a bounded heap. Only the
 * heap (topN) and one page (batchSize) are ever held: memory O(N + batch), time
 * O(n log N) for n articles.
 */
export async function rankPublished(sources: RankingSources, opts: PassOptions): Promise<{ top: ScoredArticle[]; scanned: number }> {
  const heap = new TopN<ScoredArticle>(opts.topN, rankOrder);
  const since = opts.now - opts.windowMs;
  let after: ScanCursor | undefined;
  let scanned = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    const page = await sources.page(since, after, opts.batchSize);
    if (page.length === 0) break;
    const counters = await sources.counters(page.map((a) => a.id));
    for (const article of page) {
      const c = counters.get(article.id) ?? { readCnt: 0, likeCnt: 0, collectCnt: 0 };
      heap.offer({ ...article, ...c, score: hotScore(c.likeCnt, article.ctime, opts.now) });
    }
    scanned += page.length;
    const last = page[page.length - 1]!;
    after = { utime: last.utime, id: last.id };
    if (page.length < opts.batchSize) break;
  }
  return { top: heap.sorted(), scanned };
}
