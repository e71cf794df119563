import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RANKING_KEY } from '../../src/modules/ranking/ranking.repository.js';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post, publish } from '../support/articles.js';

const HOUR = 3_600_000;
const outage = () => Object.assign(new Error('Connection is closed.'), { code: 'ECONNRESET' });

/** Lets the scheduler see the ranking job due, runs it once and waits for it. */
async function runRankingJob(app: TestApp) {
  const { scheduler } = app.container.jobs;
  await scheduler.sync();
  app.clock.advance(3 * 60_000 + 1);
  expect(await scheduler.tick()).toBeGreaterThanOrEqual(1); // other jobs (the SMS resender) may be due too
  await scheduler.idle();
  const job = (await app.container.jobs.admin.list()).find((j) => j.name === 'ranking');
  expect(job).toMatchObject({ status: 'waiting', lastStart: new Date(app.clock.now()).toISOString(), lastError: null, holder: null });
}

describe.each(stacks)('hot ranking over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let ada: { token: string; uid: number };
  let bea: { token: string; uid: number };
  let likers: { token: string; uid: number }[];
  const ids: Record<'fresh3' | 'fresh2' | 'fresh0' | 'old3', number> = { fresh3: 0, fresh2: 0, fresh0: 0, old3: 0 };

  const like = async (id: number, n: number) => {
    for (const u of likers.slice(0, n)) expect((await post(t.app, '/articles/pub/like', u.token, { id, like: true })).statusCode).toBe(200);
  };
  const ranking = async (query = '', app = t) => get(app.app, `/articles/ranking${query}`);

  beforeAll(async () => {
    t = await buildTestApp(stack);
    ada = await newUser(t.app, 'Ada');
  });
  afterAll(async () => t.close());

  it('when the job has never run, then the hot list is empty', async () => {
    const res = await ranking();
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ code: 0, msg: 'ok', data: [] });
  });

  it('when the job runs, then articles come hottest first: likes decayed by age, zero likes last, drafts never', async () => {
    ids.old3 = await publish(t.app, ada.token, 'old but liked');
    t.clock.advance(48 * HOUR); // (Ada's token is expired by now: the rest is Bea's)
    bea = await newUser(t.app, 'Bea');
    likers = await Promise.all(['Bob', 'Cy', 'Dee'].map((n) => newUser(t.app, n)));
    await like(ids.old3, 3);
    ids.fresh0 = await publish(t.app, bea.token, 'fresh, no likes');
    ids.fresh2 = await publish(t.app, bea.token, 'fresh, two likes');
    ids.fresh3 = await publish(t.app, bea.token, 'fresh, three likes');
    await like(ids.fresh2, 2);
    await like(ids.fresh3, 3);
    await post(t.app, '/articles/edit', bea.token, { title: 'a draft', content: 'never ranked' });

    await runRankingJob(t);
    const res = await ranking();
    expect(res.statusCode).toBe(200);
    const list = bodyOf(res).data as { id: number; score: number }[];
    expect(list.map((a) => a.id)).toEqual([ids.fresh3, ids.fresh2, ids.old3, ids.fresh0]);
    expect(list[0]).toEqual({
      id: ids.fresh3,
      title: 'fresh, three likes',
      author: { id: bea.uid, name: 'Bea' },
      likeCnt: 3,
      readCnt: 0,
      collectCnt: 0,
      score: expect.closeTo(2 / (2 + 0.05) ** 1.5, 6), // three minutes old
      ctime: expect.any(Number),
      utime: expect.any(Number),
    });
    expect(list[2]).toMatchObject({ author: { id: ada.uid, name: 'Ada' }, likeCnt: 3 });
    expect(list[3]).toMatchObject({ likeCnt: 0, score: 0 });
  });

  it('when limit is given, then only that many come back; a bad limit is a 400 with code 400001', async () => {
    expect(bodyOf(await ranking('?limit=2')).data).toHaveLength(2);
    for (const bad of ['?limit=0', '?limit=1001', '?limit=abc', '?limit=-1', '?limit=1e2', '?other=1']) {
      const res = await ranking(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(bodyOf(res).code, bad).toBe(400001);
    }
  });

  it('when likes change, then the list changes at the next run, not before', async () => {
    await like(ids.fresh0, 3);
    t.clock.advance(60_000);
    expect(bodyOf(await ranking()).data[0].id).toBe(ids.fresh3);
    await runRankingJob(t);
    // fresh0 now has 3 likes too; published at the same millisecond as fresh3 (the clock stood still), so
    // the scores tie exactly and the higher id (fresh3) stays first.
    expect((bodyOf(await ranking()).data as { id: number }[]).map((a) => a.id)).toEqual([ids.fresh3, ids.fresh0, ids.fresh2, ids.old3]);
  });

  it('when the shared cache fails, then this instance serves its last good list', async () => {
    const before = bodyOf(await ranking()).data;
    t.clock.advance(60_000); // past the local copy's freshness
    const spy = vi.spyOn(t.container.backends.cache, 'get').mockRejectedValue(outage());
    try {
      const res = await ranking();
      expect(res.statusCode).toBe(200);
      expect(bodyOf(res).data).toEqual(before);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('when the shared copy is gone (expired or flushed), then the last good list is served rather than nothing', async () => {
    const before = bodyOf(await ranking()).data;
    await t.container.backends.cache.del(RANKING_KEY);
    t.clock.advance(60_000);
    expect(bodyOf(await ranking()).data).toEqual(before);
  });

  it('when a new instance has no copy of its own and the shared cache is down, then it answers 503 with code 505001', async () => {
    const second = await buildTestApp(stack, {}, { shareWith: t });
    try {
      const spy = vi.spyOn(second.container.backends.cache, 'get').mockRejectedValue(outage());
      const res = await ranking('', second);
      expect(res.statusCode).toBe(503);
      expect(bodyOf(res)).toMatchObject({ code: 505001, data: null });
      expect(res.body).not.toMatch(/Connection is closed|stack/);
      spy.mockRestore();
    } finally {
      await second.close();
    }
  });

});

// Instances share a computed list only through a shared cache: the stacks with Redis. (The
// embedded stack is one process; its own copy is covered above.)
describe.each(stacks.filter((s) => s.cache === 'redis'))('hot ranking shared between instances on $dialect + $cache', (stack) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(stack);
  });
  afterAll(async () => t.close());

  it('when another instance computed the list, then this one serves it from the shared cache', async () => {
    const ada = await newUser(t.app, 'Ada');
    const likers = [await newUser(t.app, 'Bob'), await newUser(t.app, 'Cy')];
    const liked = await publish(t.app, ada.token, 'liked twice');
    const plain = await publish(t.app, ada.token, 'not liked');
    for (const u of likers) expect((await post(t.app, '/articles/pub/like', u.token, { id: liked, like: true })).statusCode).toBe(200);
    await runRankingJob(t);
    const second = await buildTestApp(stack, {}, { shareWith: t });
    try {
      const served = bodyOf(await get(second.app, '/articles/ranking')).data as { id: number }[];
      expect(served.map((a) => a.id)).toEqual([liked, plain]);
      expect(served).toEqual(bodyOf(await get(t.app, '/articles/ranking')).data);
    } finally {
      await second.close();
    }
  });
});
