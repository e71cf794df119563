import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/jobs/job.domain.js';
import type { PublishedHeader } from '../../src/modules/article/article.scan.js';
import type { RankingSources } from '../../src/modules/ranking/ranking.compute.js';
import { RANKING_LOCK, rankingJob } from '../../src/modules/ranking/ranking.job.js';
import { RANKING_KEY, RankingRepository } from '../../src/modules/ranking/ranking.repository.js';
import { RankingService } from '../../src/modules/ranking/ranking.service.js';
import { MemoryCache } from '../../src/pkg/cache/memory-cache.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import { MemoryFencedWriter, MemoryLock } from '../../src/pkg/lock/memory-lock.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const config = { topN: 2, windowHours: 24, batchSize: 100 };
const quiet = pino({ level: 'silent' });

/** Articles 1..3 whose likes the test sets; a gate lets a test hold a pass mid-way. */
function world() {
  const clock = new ManualClock(NOW);
  const cache = new MemoryCache();
  const lock = new MemoryLock(clock);
  const likes = new Map([[1, 5], [2, 3], [3, 1]]);
  let gate: Promise<void> | undefined;
  const sources: RankingSources = {
    page: async (_range, after, limit) => {
      const all: PublishedHeader[] = [1, 2, 3].map((id) => ({ id, authorId: 7, title: `t${id}`, ctime: NOW, utime: NOW }));
      const rows = all.filter((a) => !after || a.id > after.id).slice(0, limit);
      const last = rows[rows.length - 1];
      return { rows, next: rows.length === limit && last ? { utime: last.utime, id: last.id, span: 1 } : null };
    },
    // The counters as they were when read; the first call after block() then waits for release().
    counters: async (ids) => {
      const read = new Map(ids.map((id) => [id, { likeCnt: likes.get(id)!, readCnt: 0, collectCnt: 0 }]));
      const wait = gate;
      gate = undefined;
      await wait;
      return read;
    },
  };
  const repo = new RankingRepository(cache, new MemoryFencedWriter(cache), clock, quiet, { sharedTtlMs: 600_000, localTtlMs: 0 });
  const service = new RankingService(sources, async (uid) => `author ${uid}`, repo, clock);
  const handler = rankingJob(service, lock, { lockTtlMs: 1_000 });
  const ctx = (cfg: unknown = config): JobContext => ({ name: 'ranking', config: cfg, scheduledAt: NOW, signal: new AbortController().signal, logger: quiet });
  const stored = async () => JSON.parse((await cache.get(RANKING_KEY))!) as { items: { id: number }[] };
  let open = () => {};
  return {
    clock, lock, likes, service, handler, ctx, stored,
    block: () => void (gate = new Promise<void>((r) => (open = r))),
    release: () => open(),
  };
}

describe('ranking job', () => {
  it('when it runs, then the top N with authors is stored in the shared cache and served', async () => {
    const w = world();
    await w.handler(w.ctx());
    expect((await w.stored()).items.map((i) => i.id)).toEqual([1, 2]);
    expect(await w.service.hot(10)).toMatchObject([{ id: 1, likeCnt: 5, author: { id: 7, name: 'author 7' } }, { id: 2, likeCnt: 3 }]);
    expect(await w.service.hot(1)).toHaveLength(1);
  });

  it('when a holder lost its lock mid-pass and a newer pass stored its list, then the old pass cannot overwrite it', async () => {
    const w = world();
    w.block();
    const old = w.handler(w.ctx()); // holds the lock, has read the counters, then stalls
    await new Promise((r) => setTimeout(r, 5));
    w.clock.advance(5_000); // its lease (1 s) ran out while it was frozen
    w.likes.set(3, 50); // meanwhile article 3 became the hottest
    await w.handler(w.ctx()); // a newer pass takes the expired lock (larger fence) and stores
    expect((await w.stored()).items.map((i) => i.id)).toEqual([3, 1]);
    w.release();
    await old; // the stale pass wakes up with its old list [1, 2]...
    expect((await w.stored()).items.map((i) => i.id)).toEqual([3, 1]); // ...and is refused
  });

  it('when another holder has the lock, then this run skips without computing', async () => {
    const w = world();
    await w.lock.tryAcquire(RANKING_LOCK, 60_000);
    await w.handler(w.ctx());
    expect(await w.service.hot(10)).toEqual([]);
  });

  it('when the row config is invalid, then the run fails with code 505002 and the last list stays', async () => {
    const w = world();
    await w.handler(w.ctx());
    await expect(w.handler(w.ctx({ topN: 0, windowHours: 24, batchSize: 100 }))).rejects.toMatchObject({ code: 505002 });
    await expect(w.handler(w.ctx('nonsense'))).rejects.toMatchObject({ code: 505002 });
    expect((await w.stored()).items.map((i) => i.id)).toEqual([1, 2]);
  });
});
