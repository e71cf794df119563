import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { ArticleStatus } from '../../src/modules/article/article.domain.js';
import { PublishedArticleScan } from '../../src/modules/article/article.scan.js';
import { CollectionDao } from '../../src/modules/interactive/collection.dao.js';
import { InteractiveCache } from '../../src/modules/interactive/interactive.cache.js';
import { InteractiveDao } from '../../src/modules/interactive/interactive.dao.js';
import { Biz } from '../../src/modules/interactive/interactive.domain.js';
import { InteractiveRepository } from '../../src/modules/interactive/interactive.repository.js';
import { InteractiveService } from '../../src/modules/interactive/interactive.service.js';
import { rankPublished, type RankingSources } from '../../src/modules/ranking/ranking.compute.js';
import { hotScore, rankOrder } from '../../src/modules/ranking/ranking.score.js';
import { MemoryCache } from '../../src/pkg/cache/memory-cache.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import type { Database } from '../../src/pkg/db/database.js';
import { dialects, freshDatabase } from '../support/backends.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const HOUR = 3_600_000;
const WINDOW = 72 * HOUR;

interface Seeded {
  id: number;
  status: number;
  ctime: number;
  utime: number;
  likes: number | null;
}

/**
 * 120 articles with utimes in groups of 6 (ties across page edges), some outside the window,
 * some not published; then a burst of 25 changed in the same millisecond (more than a page).
 */
function articles(): Seeded[] {
  const spread = Array.from({ length: 120 }, (_, i) => {
    const id = i + 1;
    const utime = NOW - WINDOW - 5 * HOUR + Math.floor(i / 6) * 2 * HOUR; // the first ~3 groups are too old
    return {
      id,
      status: id % 11 === 0 ? ArticleStatus.private : id % 13 === 0 ? ArticleStatus.draft : ArticleStatus.published,
      ctime: utime - (id % 5) * HOUR,
      utime,
      likes: id % 7 === 0 ? null : (id * 37) % 23, // some have no counter row at all
    };
  });
  const burst = Array.from({ length: 25 }, (_, i) => ({ id: 121 + i, status: ArticleStatus.published, ctime: NOW - 7 * HOUR, utime: NOW - 6 * HOUR, likes: i % 4 }));
  return [...spread, ...burst];
}

describe.each(dialects)('ranking pass over the database on %s', (dialect) => {
  let db: { database: Database<DB>; drop(): Promise<void> };
  let interactive: InteractiveService;
  let cache: MemoryCache;
  const seeded = articles();

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const kdb = db.database.db;
    await kdb
      .insertInto('published_articles')
      .values(seeded.map((a) => ({ id: a.id, author_id: 1 + (a.id % 4), title: `t${a.id}`, content: 'x'.repeat(50), status: a.status, ctime: a.ctime, utime: a.utime })))
      .execute();
    const counted = seeded.filter((a) => a.likes !== null);
    await kdb
      .insertInto('interactives')
      .values(counted.map((a) => ({ biz: Biz.article, biz_id: a.id, like_cnt: a.likes!, read_cnt: a.id * 10, collect_cnt: a.id % 3, ctime: NOW, utime: NOW })))
      .execute();
    cache = new MemoryCache();
    const repo = new InteractiveRepository(new InteractiveDao(kdb, dialect), new CollectionDao(kdb, dialect), new InteractiveCache(cache));
    interactive = new InteractiveService(repo, new ManualClock(NOW));
  });
  afterAll(async () => db.drop());

  /** The real sources, recording every page and counter query. */
  function recordingSources() {
    const scan = new PublishedArticleScan(db.database.db);
    const seen: number[] = [];
    const pageSizes: number[] = [];
    let counterQueries = 0;
    const sources: RankingSources = {
      page: async (range, after, limit) => {
        const page = await scan.page(range, after, limit);
        seen.push(...page.rows.map((a) => a.id));
        pageSizes.push(page.rows.length);
        return page;
      },
      counters: async (ids) => {
        counterQueries++;
        return interactive.storedCountersOf(Biz.article, ids);
      },
    };
    return { sources, seen, pageSizes, counterQueries: () => counterQueries };
  }

  const inWindow = seeded.filter((a) => a.status === ArticleStatus.published && a.utime >= NOW - WINDOW);

  it.each([1, 7, 10, 1000])('when pages hold %i and utimes tie across page edges, then each published article in the window is read exactly once', async (batchSize) => {
    const r = recordingSources();
    const { scanned } = await rankPublished(r.sources, { now: NOW, windowMs: WINDOW, batchSize, topN: 5 });
    expect(new Set(r.seen).size).toBe(r.seen.length);
    expect([...r.seen].sort((a, b) => a - b)).toEqual(inWindow.map((a) => a.id));
    expect(scanned).toBe(inWindow.length);
    expect(Math.max(...r.pageSizes)).toBeLessThanOrEqual(batchSize);
    expect(r.counterQueries()).toBe(r.pageSizes.filter((n) => n > 0).length); // one counter query per page
    expect(r.pageSizes.length).toBeLessThan(inWindow.length / batchSize + 20); // slices adapt: few short pages
  });

  it('when nothing changed in the window, then the pass reads nothing and ranks nothing', async () => {
    const r = recordingSources();
    const { top, scanned } = await rankPublished(r.sources, { now: NOW - 300 * HOUR, windowMs: HOUR, batchSize: 10, topN: 5 });
    expect([top, scanned, r.counterQueries()]).toEqual([[], 0, 0]);
  });

  it('when the pass ranks, then its top N equals a full sort of every article in the window by the score', async () => {
    const expected = inWindow
      .map((a) => ({ id: a.id, ctime: a.ctime, score: hotScore(a.likes ?? 0, a.ctime, NOW) }))
      .sort(rankOrder)
      .slice(0, 10)
      .map((a) => a.id);
    for (const batchSize of [10, 13, 1000]) {
      const { top } = await rankPublished(recordingSources().sources, { now: NOW, windowMs: WINDOW, batchSize, topN: 10 });
      expect(top.map((a) => a.id)).toEqual(expected);
    }
  });

  it('when an article has no counter row, then it counts as zero likes, reads and collects', async () => {
    const { top } = await rankPublished(recordingSources().sources, { now: NOW, windowMs: WINDOW, batchSize: 50, topN: 1000 });
    const uncounted = top.find((a) => seeded[a.id - 1]!.likes === null)!;
    expect(uncounted).toMatchObject({ likeCnt: 0, readCnt: 0, collectCnt: 0, score: 0 });
    const sample = inWindow.find((a) => a.likes !== null && a.likes > 1)!;
    expect(top.find((a) => a.id === sample.id)).toMatchObject({ likeCnt: sample.likes, readCnt: sample.id * 10, collectCnt: sample.id % 3 });
  });

  it('when the batch counter read is used, then it answers in one query and leaves the cache alone', async () => {
    const counters = await interactive.storedCountersOf(Biz.article, [5, 7, 9999]);
    expect([...counters.keys()].sort((a, b) => a - b)).toEqual([5]); // 7 has no row, 9999 does not exist
    expect(await cache.hgetAll(`interactive:${Biz.article}:5`)).toBeNull();
    expect(await interactive.storedCountersOf(Biz.article, [])).toEqual(new Map());
  });

  it('when the job has lost its lease mid-pass, then the pass stops at the next page', async () => {
    const abort = new AbortController();
    const r = recordingSources();
    const stopping: RankingSources = { ...r.sources, counters: async (ids) => (abort.abort(new Error('lease lost')), r.sources.counters(ids)) };
    await expect(rankPublished(stopping, { now: NOW, windowMs: WINDOW, batchSize: 7, topN: 5, signal: abort.signal })).rejects.toThrow('lease lost');
    expect(r.counterQueries()).toBe(1);
    expect(r.pageSizes.length).toBeLessThanOrEqual(2); // the page read ahead, at most
  });
});
