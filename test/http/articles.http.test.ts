import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stacks } from '../support/backends.js';
import { authed, bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import { get, newUser, post, publish } from '../support/articles.js';

describe.each(stacks)('articles over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let ada: { token: string; uid: number };
  let bob: { token: string; uid: number };
  beforeAll(async () => {
    t = await buildTestApp(stack);
    ada = await newUser(t.app, 'Ada');
    bob = await newUser(t.app, 'Bob');
  });
  afterAll(async () => t.close());

  const tick = () => t.clock.advance(1000);

  it('when an author saves a draft, then only the author sees it', async () => {
    const res = await post(t.app, '/articles/edit', ada.token, { title: 'Draft one', content: 'not ready' });
    expect(res.statusCode).toBe(200);
    const id = bodyOf(res).data.id as number;
    expect(id).toBeGreaterThan(0);

    const detail = await get(t.app, `/articles/detail/${id}`, ada.token);
    expect(bodyOf(detail).data).toMatchObject({ id, title: 'Draft one', content: 'not ready', status: 1 });
    expect((await get(t.app, `/articles/pub/${id}`)).statusCode).toBe(404);
    expect((await get(t.app, `/articles/pub/${id}`, ada.token)).statusCode).toBe(404);
  });

  it('when an article is published, then anyone reads it with author, counters and flags', async () => {
    const id = await publish(t.app, ada.token, 'Hello <world>', '# Title\n\n<script>alert(1)</script> stays as written');
    const anon = await get(t.app, `/articles/pub/${id}`);
    expect(anon.statusCode).toBe(200);
    expect(bodyOf(anon).data).toMatchObject({
      id,
      title: 'Hello <world>',
      content: '# Title\n\n<script>alert(1)</script> stays as written',
      author: { id: ada.uid, name: 'Ada' },
      likeCnt: 0,
      collectCnt: 0,
      liked: false,
      collected: false,
    });
    const mine = await get(t.app, `/articles/detail/${id}`, ada.token);
    expect(bodyOf(mine).data.status).toBe(2);
  });

  it('when a reader sends a bad token, then the page says 401 instead of going anonymous', async () => {
    const id = await publish(t.app, ada.token);
    const res = await t.app.inject({ method: 'GET', url: `/articles/pub/${id}`, headers: { authorization: 'Bearer nope', 'user-agent': 'x' } });
    expect(res.statusCode).toBe(401);
  });

  it('when every part of a page is held in this process, then the page is the one the async path builds, and a logout still ends it at once', async () => {
    const carol = await newUser(t.app, 'Carol');
    const id = await publish(t.app, ada.token, 'Held', 'body of a page');
    await post(t.app, '/articles/pub/like', carol.token, { id, like: true });
    const page = async () => {
      const res = await get(t.app, `/articles/pub/${id}`, carol.token);
      expect(res.statusCode).toBe(200);
      const { readCnt: _reads, ...rest } = bodyOf(res).data as Record<string, unknown>; // reads are counted in the background
      return rest;
    };
    const built = await page(); // fills what the cache lacked
    expect(built).toMatchObject({ id, title: 'Held', author: { id: ada.uid, name: 'Ada' }, likeCnt: 1, liked: true, collected: false });
    const asyncPath = vi.spyOn(t.container.articles.service, 'publishedPage');
    try {
      // The near cache keeps its copies once its own writes' invalidations are back.
      await eventually(async () => {
        asyncPath.mockClear();
        expect(await page()).toEqual(built);
        expect(asyncPath).not.toHaveBeenCalled();
      });
    } finally {
      asyncPath.mockRestore();
    }
    expect((await t.app.inject({ method: 'POST', url: '/users/logout', headers: authed(carol.token) })).statusCode).toBe(200);
    expect((await get(t.app, `/articles/pub/${id}`, carol.token)).statusCode).toBe(401);
  });

  it('when a published article is edited, then readers keep the old version until it is published again', async () => {
    const id = await publish(t.app, ada.token, 'v1', 'first');
    const first = bodyOf(await get(t.app, `/articles/pub/${id}`)).data;
    tick();
    expect((await post(t.app, '/articles/edit', ada.token, { id, title: 'v2', content: 'second' })).statusCode).toBe(200);
    expect(bodyOf(await get(t.app, `/articles/detail/${id}`, ada.token)).data).toMatchObject({ title: 'v2', status: 1 });
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data).toMatchObject({ title: 'v1', content: 'first' });

    tick();
    expect(bodyOf(await post(t.app, '/articles/publish', ada.token, { id, title: 'v3', content: 'third' })).data).toEqual({ id });
    const again = bodyOf(await get(t.app, `/articles/pub/${id}`)).data;
    expect(again).toMatchObject({ title: 'v3', content: 'third', ctime: first.ctime });
    expect(again.utime).toBeGreaterThan(first.utime);
  });

  it('when an article is withdrawn, then readers get 404 even right after a cached read, and it can be published again', async () => {
    const id = await publish(t.app, ada.token, 'to withdraw');
    expect((await get(t.app, `/articles/pub/${id}`)).statusCode).toBe(200); // now cached
    expect((await post(t.app, '/articles/withdraw', ada.token, { id })).statusCode).toBe(200);
    expect((await get(t.app, `/articles/pub/${id}`)).statusCode).toBe(404);
    expect(bodyOf(await get(t.app, `/articles/detail/${id}`, ada.token)).data.status).toBe(3);
    expect((await post(t.app, '/articles/withdraw', ada.token, { id })).statusCode).toBe(200); // again: no change, no error

    expect((await post(t.app, '/articles/publish', ada.token, { id, title: 'back', content: 'again' })).statusCode).toBe(200);
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data.title).toBe('back');
  });

  it('when a draft that was never published is withdrawn, then 409', async () => {
    const id = bodyOf(await post(t.app, '/articles/edit', ada.token, { title: 'never out', content: '' })).data.id;
    const res = await post(t.app, '/articles/withdraw', ada.token, { id });
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res).code).toBe(403002);
  });

  it("when another user touches an author's article, then every route says 404 and nothing changes", async () => {
    const id = await publish(t.app, ada.token, 'Ada only', 'mine');
    const tries = [
      post(t.app, '/articles/edit', bob.token, { id, title: 'hacked', content: 'x' }),
      post(t.app, '/articles/publish', bob.token, { id, title: 'hacked', content: 'x' }),
      post(t.app, '/articles/withdraw', bob.token, { id }),
      get(t.app, `/articles/detail/${id}`, bob.token),
    ];
    for (const res of await Promise.all(tries)) {
      expect(res.statusCode).toBe(404);
      expect(bodyOf(res).code).toBe(403001);
    }
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data).toMatchObject({ title: 'Ada only', content: 'mine' });
    expect(bodyOf(await get(t.app, `/articles/detail/${id}`, ada.token)).data).toMatchObject({ title: 'Ada only', status: 2 });
    const bobs = bodyOf(await post(t.app, '/articles/list', bob.token, { offset: 0, limit: 100 })).data as { id: number }[];
    expect(bobs.map((a) => a.id)).not.toContain(id);
  });

  it('when an author lists articles, then they come newest first, paged, with abstracts, and edits show at once', async () => {
    const writer = await newUser(t.app);
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) {
      tick();
      ids.push(bodyOf(await post(t.app, '/articles/edit', writer.token, { title: `n${i}`, content: `${'x'.repeat(150)} ${i}` })).data.id);
    }
    const page1 = bodyOf(await post(t.app, '/articles/list', writer.token, { offset: 0, limit: 2 })).data;
    expect(page1.map((a: { title: string }) => a.title)).toEqual(['n5', 'n4']);
    expect(Array.from(page1[0].abstract as string)).toHaveLength(129); // 128 characters and an ellipsis
    expect(page1[0]).not.toHaveProperty('content');
    const page2 = bodyOf(await post(t.app, '/articles/list', writer.token, { offset: 2, limit: 2 })).data;
    expect(page2.map((a: { title: string }) => a.title)).toEqual(['n3', 'n2']);

    tick();
    await post(t.app, '/articles/edit', writer.token, { id: ids[0], title: 'n1 edited', content: 'short' });
    const fresh = bodyOf(await post(t.app, '/articles/list', writer.token, { offset: 0, limit: 1 })).data;
    expect(fresh).toMatchObject([{ id: ids[0], title: 'n1 edited', abstract: 'short', status: 1 }]);
  });

  it('when the abstract is cut, then no character is cut in half', async () => {
    const writer = await newUser(t.app);
    await post(t.app, '/articles/edit', writer.token, { title: 'emoji', content: '😀'.repeat(200) });
    const [item] = bodyOf(await post(t.app, '/articles/list', writer.token, { offset: 0, limit: 1 })).data;
    expect(item.abstract).toBe(`${'😀'.repeat(128)}…`);
  });

  it('when a field is invalid, then 400 names the field and nothing is written', async () => {
    const writer = await newUser(t.app);
    const cases: [string, unknown, string][] = [
      ['/articles/edit', { title: '', content: 'x' }, 'title'],
      ['/articles/edit', { title: '   ', content: 'x' }, 'title'],
      ['/articles/edit', { title: 't'.repeat(257), content: 'x' }, 'title'],
      ['/articles/edit', { title: 't', content: 'x'.repeat(100_001) }, 'content'],
      ['/articles/edit', { title: 't', content: 42 }, 'content'],
      ['/articles/edit', { id: -1, title: 't', content: 'x' }, 'id'],
      ['/articles/edit', { id: 'abc', title: 't', content: 'x' }, 'id'],
      ['/articles/publish', { title: 't' }, 'content'],
      ['/articles/withdraw', { id: 0 }, 'id'],
      ['/articles/list', { offset: 0, limit: 0 }, 'limit'],
      ['/articles/list', { offset: 0, limit: 101 }, 'limit'],
      ['/articles/list', { offset: -1, limit: 10 }, 'offset'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await post(t.app, url, writer.token, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload).slice(0, 60)}`).toBe(400);
      expect(Object.keys(bodyOf(res).data.fields)).toContain(field);
    }
    const blank = await post(t.app, '/articles/publish', writer.token, { title: 't', content: '  \n ' });
    expect(blank.statusCode).toBe(400);
    expect(bodyOf(blank).code).toBe(403003);
    const extra = await post(t.app, '/articles/edit', writer.token, { title: 't', content: 'x', authorId: 1 });
    expect(extra.statusCode).toBe(400);
    for (const bad of ['abc', '0', '1e3', '-1', '99999999999999999999']) {
      expect((await get(t.app, `/articles/pub/${bad}`)).statusCode, bad).toBe(400);
    }
    expect(bodyOf(await post(t.app, '/articles/list', writer.token, { offset: 0, limit: 100 })).data).toEqual([]);
  });

  it('when no one is logged in, then author routes say 401', async () => {
    expect((await post(t.app, '/articles/edit', null, { title: 't', content: 'x' })).statusCode).toBe(401);
    expect((await post(t.app, '/articles/list', null, { offset: 0, limit: 1 })).statusCode).toBe(401);
    expect((await get(t.app, '/articles/detail/1')).statusCode).toBe(401);
  });

  it('when an article does not exist, then readers get 404 twice in a row (the miss is cached, not wrong)', async () => {
    expect((await get(t.app, '/articles/pub/987654321')).statusCode).toBe(404);
    expect((await get(t.app, '/articles/pub/987654321')).statusCode).toBe(404);
  });

  it('when the cache holds an article in an older format, then readers still get it and the entry is replaced', async () => {
    const id = await publish(t.app, ada.token, 'Format change', 'body');
    const cache = t.container.backends.cache;
    await cache.set(`article:pub:${id}`, JSON.stringify({ id, title: 'old format' }));
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data.title).toBe('Format change');
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data.title).toBe('Format change');
    expect(await cache.get(`article:pub:${id}`)).toMatch(/^\d+\n"id":/);
  });

  it('when readers ask for the newest articles, then they get published ones only, last published first, with counters', async () => {
    const t2 = await buildTestApp(stack);
    try {
      const w = await newUser(t2.app, 'Writer');
      const ids: number[] = [];
      for (const title of ['first', 'second', 'third']) {
        t2.clock.advance(1000);
        ids.push(await publish(t2.app, w.token, title, `${title} body`));
      }
      t2.clock.advance(1000);
      await post(t2.app, '/articles/edit', w.token, { title: 'draft', content: 'x' });
      await post(t2.app, '/articles/withdraw', w.token, { id: ids[1] });
      await post(t2.app, '/articles/pub/like', w.token, { id: ids[0], like: true });

      const res = await get(t2.app, '/articles/pub/newest?limit=10');
      expect(res.statusCode).toBe(200);
      expect(bodyOf(res).data).toMatchObject([
        { id: ids[2], title: 'third', abstract: 'third body', author: { id: w.uid, name: 'Writer' }, likeCnt: 0 },
        { id: ids[0], title: 'first', likeCnt: 1, readCnt: 0, collectCnt: 0 },
      ]);
      expect(bodyOf(await get(t2.app, '/articles/pub/newest?offset=1&limit=1')).data.map((a: { id: number }) => a.id)).toEqual([ids[0]]);
      for (const bad of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc', 'offset=1e3']) {
        expect((await get(t2.app, `/articles/pub/newest?${bad}`)).statusCode, bad).toBe(400);
      }
    } finally {
      await t2.close();
    }
  });
});
