import type { PublishedHeader, ScanCursor, ScanPage, ScanRange } from '../article/article.scan.js';
import type { Counters } from '../interactive/interactive.domain.js';
import { TopN } from './ranking.heap.js';
import { hotScore, rankOrder } from './ranking.score.js';

/** Where the pass reads: keyset pages of published articles, and their counters per page. */
export interface RankingSources {
  page(range: ScanRange, after: ScanCursor | undefined, limit: number): Promise<ScanPage>;
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
  // Up to now: what changes during the pass waits for the next one.
  const range = { since: opts.now - opts.windowMs, until: opts.now };
  const fetch = (after: ScanCursor | undefined) => {
    const page = sources.page(range, after, opts.batchSize);
    page.catch(() => {}); // if the pass stops first, a failed read-ahead is not an unhandled rejection
    return page;
  };
  let next: Promise<ScanPage> | null = fetch(undefined);
  let scanned = 0;
  while (next) {
    opts.signal?.throwIfAborted();
    const page: ScanPage = await next;
    next = page.next ? fetch(page.next) : null;
    const counters = page.rows.length > 0 ? await sources.counters(page.rows.map((a) => a.id)) : new Map<number, Counters>();
    for (const a of page.rows) {
      const c = counters.get(a.id) ?? NO_COUNTERS;
      const score = hotScore(c.likeCnt, a.ctime, opts.now);
      // Most articles lose to the worst of the N kept: they are dropped before any object is built.
      const worst = heap.threshold;
      if (worst && rankOrder({ id: a.id, score, ctime: a.ctime }, worst) >= 0) continue;
      heap.offer({ id: a.id, authorId: a.authorId, title: a.title, ctime: a.ctime, utime: a.utime, ...c, score });
    }
    scanned += page.rows.length;
  }
  return { top: heap.sorted(), scanned };
}
