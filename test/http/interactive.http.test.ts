import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post, publish } from '../support/articles.js';
import { eventually } from '../support/eventually.js';
import { NEAR_CACHED } from '../../src/ioc/backends.js';
import { READER_MARKS_MAX } from '../../src/modules/interactive/interactive.domain.js';

describe.each(stacks)('likes, collections and reads over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let author: { token: string; uid: number };
  let reader: { token: string; uid: number };
  beforeAll(async () => {
    t = await buildTestApp(stack);
    author = await newUser(t.app, 'Author');
    reader = await newUser(t.app, 'Reader');
  });
  afterAll(async () => t.close());

  const view = async (id: number, token: string | null = reader.token) => bodyOf(await get(t.app, `/articles/pub/${id}`, token)).data;
  const like = (id: number, value: boolean, token = reader.token) => post(t.app, '/articles/pub/like', token, { id, like: value });
  const folder = async (name: string, token = reader.token) => bodyOf(await post(t.app, '/collections/create', token, { name })).data.id as number;
  const folders = async (token = reader.token) => bodyOf(await get(t.app, '/collections/list', token)).data as { id: number; name: string; count: number }[];

  it('when a reader likes twice and unlikes twice, then the count goes 1, 1, 0, 0 and liked follows', async () => {
    const id = await publish(t.app, author.token);
    await view(id); // counters cached: the changes below must reach the cached copy too
    expect((await like(id, true)).statusCode).toBe(200);
    expect(await view(id)).toMatchObject({ likeCnt: 1, liked: true });
    await like(id, true);
    expect(await view(id)).toMatchObject({ likeCnt: 1, liked: true });
    expect(await view(id, null)).toMatchObject({ likeCnt: 1, liked: false });
    await like(id, false);
    expect(await view(id)).toMatchObject({ likeCnt: 0, liked: false });
    await like(id, false);
    expect(await view(id)).toMatchObject({ likeCnt: 0, liked: false });
  });

  it('when 50 users like at once, then likeCnt is 50', async () => {
    const id = await publish(t.app, author.token);
    await view(id);
    const users = await Promise.all(Array.from({ length: 50 }, () => newUser(t.app)));
    const results = await Promise.all(users.map((u) => like(id, true, u.token)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect((await view(id)).likeCnt).toBe(50);
  });

  it('when one user likes 20 times at once, then likeCnt is 1', async () => {
    const id = await publish(t.app, author.token);
    const fan = await newUser(t.app);
    const results = await Promise.all(Array.from({ length: 20 }, () => like(id, true, fan.token)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(await view(id, fan.token)).toMatchObject({ likeCnt: 1, liked: true });
  });

  it('when the target is not published, then like and collect say 404 and count nothing', async () => {
    const draft = bodyOf(await post(t.app, '/articles/edit', author.token, { title: 'd', content: 'd' })).data.id as number;
    const cid = await folder('for drafts');
    for (const res of [await like(draft, true), await like(987654321, true), await post(t.app, '/articles/pub/collect', reader.token, { id: draft, cid })]) {
      expect(res.statusCode).toBe(404);
      expect(bodyOf(res).code).toBe(403001);
    }
    await publish(t.app, author.token, 'now out', 'x').then(async () => {
      expect((await post(t.app, '/articles/publish', author.token, { id: draft, title: 'd', content: 'd' })).statusCode).toBe(200);
    });
    expect(await view(draft)).toMatchObject({ likeCnt: 0, collectCnt: 0 });
  });

  it('when a reader collects, moves, uncollects and deletes a folder, then counts and folders agree', async () => {
    const id = await publish(t.app, author.token, 'Worth keeping', 'content');
    const other = await publish(t.app, author.token, 'Also good', 'content');
    await view(id);
    const a = await folder('Reading list');
    const b = await folder('Favourites');

    expect((await post(t.app, '/articles/pub/collect', reader.token, { id, cid: a })).statusCode).toBe(200);
    expect(await view(id)).toMatchObject({ collectCnt: 1, collected: true });
    await post(t.app, '/articles/pub/collect', reader.token, { id, cid: a }); // same folder again: nothing changes
    await post(t.app, '/articles/pub/collect', reader.token, { id, cid: b }); // moves
    expect(await view(id)).toMatchObject({ collectCnt: 1, collected: true });
    const counts = Object.fromEntries((await folders()).map((f) => [f.name, f.count]));
    expect(counts).toMatchObject({ 'Reading list': 0, Favourites: 1 });

    const listed = bodyOf(await get(t.app, `/collections/${b}/articles`, reader.token)).data;
    expect(listed).toMatchObject([{ id, title: 'Worth keeping', abstract: 'content', author: { id: author.uid, name: 'Author' } }]);

    expect((await post(t.app, '/articles/pub/uncollect', reader.token, { id })).statusCode).toBe(200);
    expect(await view(id)).toMatchObject({ collectCnt: 0, collected: false });
    expect((await post(t.app, '/articles/pub/uncollect', reader.token, { id })).statusCode).toBe(200);

    await post(t.app, '/articles/pub/collect', reader.token, { id, cid: b });
    await post(t.app, '/articles/pub/collect', reader.token, { id: other, cid: b });
    await view(other);
    expect((await post(t.app, '/collections/delete', reader.token, { id: b })).statusCode).toBe(200);
    expect(await view(id)).toMatchObject({ collectCnt: 0, collected: false });
    expect(await view(other)).toMatchObject({ collectCnt: 0, collected: false });
    expect((await folders()).map((f) => f.name)).not.toContain('Favourites');
  });

  it("when a reader likes one article and collects another, then every page they open shows their own flags, and a change shows at once", async () => {
    const ids = [await publish(t.app, author.token), await publish(t.app, author.token), await publish(t.app, author.token)];
    const fan = await newUser(t.app);
    const flagsOf = async () =>
      Promise.all(
        ids.map(async (id) => {
          const { liked, collected } = await view(id, fan.token);
          return { liked, collected };
        }),
      );
    expect(await flagsOf()).toEqual(Array(3).fill({ liked: false, collected: false })); // the reader's marks now cached
    await like(ids[0]!, true, fan.token);
    await post(t.app, '/articles/pub/collect', fan.token, { id: ids[1]!, cid: await folder('mine', fan.token) });
    expect(await flagsOf()).toEqual([
      { liked: true, collected: false },
      { liked: false, collected: true },
      { liked: false, collected: false },
    ]);
    expect(await view(ids[0]!)).toMatchObject({ liked: false, collected: false }); // another reader's marks are their own
    await like(ids[0]!, false, fan.token);
    await post(t.app, '/articles/pub/uncollect', fan.token, { id: ids[1]! });
    expect(await flagsOf()).toEqual(Array(3).fill({ liked: false, collected: false }));
  });

  it(`when a reader has liked more than ${READER_MARKS_MAX} articles, then their flags are read page by page and still follow their likes`, async () => {
    const id = await publish(t.app, author.token);
    const other = await publish(t.app, author.token);
    const heavy = await newUser(t.app);
    const db = t.container.backends.database.db;
    const likes = Array.from({ length: READER_MARKS_MAX }, (_, i) => ({ uid: heavy.uid, biz: 'article', biz_id: 10_000_000 + i, ctime: 1 }));
    for (let i = 0; i < likes.length; i += 1000) await db.insertInto('user_likes').values(likes.slice(i, i + 1000)).execute();
    await like(id, true, heavy.token); // one more than the cache keeps whole
    expect(await view(id, heavy.token)).toMatchObject({ likeCnt: 1, liked: true, collected: false });
    expect(await view(other, heavy.token)).toMatchObject({ liked: false, collected: false });
    await like(id, false, heavy.token);
    expect(await view(id, heavy.token)).toMatchObject({ likeCnt: 0, liked: false });
    await like(other, true, heavy.token);
    expect(await view(other, heavy.token)).toMatchObject({ liked: true });
  });

  it('when a folder is renamed or named twice, then names stay unique per user', async () => {
    const me = await newUser(t.app);
    const a = await folder('Go', me.token);
    await folder('Rust', me.token);
    const dup = await post(t.app, '/collections/create', me.token, { name: 'Go' });
    expect(dup.statusCode).toBe(409);
    expect(bodyOf(dup).code).toBe(404002);
    expect((await post(t.app, '/collections/rename', me.token, { id: a, name: 'Rust' })).statusCode).toBe(409);
    expect((await post(t.app, '/collections/rename', me.token, { id: a, name: '  Golang ' })).statusCode).toBe(200);
    expect((await folders(me.token)).map((f) => f.name)).toEqual(['Golang', 'Rust']);
    // Another user may use the same name.
    expect((await post(t.app, '/collections/create', reader.token, { name: 'Golang' })).statusCode).toBe(200);
  });

  it("when someone uses another user's folder, then 404 and nothing changes", async () => {
    const owner = await newUser(t.app);
    const cid = await folder('Private', owner.token);
    const id = await publish(t.app, author.token);
    const tries = [
      post(t.app, '/collections/rename', reader.token, { id: cid, name: 'mine now' }),
      post(t.app, '/collections/delete', reader.token, { id: cid }),
      post(t.app, '/articles/pub/collect', reader.token, { id, cid }),
      get(t.app, `/collections/${cid}/articles`, reader.token),
    ];
    for (const res of await Promise.all(tries)) {
      expect(res.statusCode).toBe(404);
      expect(bodyOf(res).code).toBe(404001);
    }
    expect(await folders(owner.token)).toMatchObject([{ id: cid, name: 'Private', count: 0 }]);
    expect(await view(id)).toMatchObject({ collectCnt: 0 });
  });

  it('when collection input is invalid, then 400 names the field', async () => {
    const cases: [string, unknown, string][] = [
      ['/collections/create', { name: '' }, 'name'],
      ['/collections/create', { name: '   ' }, 'name'],
      ['/collections/create', { name: 'x'.repeat(65) }, 'name'],
      ['/collections/rename', { id: 'one', name: 'x' }, 'id'],
      ['/articles/pub/like', { id: 1, like: 'yes' }, 'like'],
      ['/articles/pub/collect', { id: 1 }, 'cid'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await post(t.app, url, reader.token, payload);
      expect(res.statusCode, url).toBe(400);
      expect(Object.keys(bodyOf(res).data.fields)).toContain(field);
    }
    expect((await get(t.app, '/collections/1/articles?limit=abc', reader.token)).statusCode).toBe(400);
    expect((await post(t.app, '/articles/pub/like', null, { id: 1, like: true })).statusCode).toBe(401);
  });

  it('when an article is read, then readCnt counts every read once, through the read-event consumer', async () => {
    const id = await publish(t.app, author.token);
    for (let i = 0; i < 8; i++) await view(id, i % 2 ? reader.token : null);
    const stored = async () => (await t.container.interactive.service.countersOf('article', [id]))[0]!.readCnt;
    await eventually(async () => expect(await stored()).toBe(8), 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(await stored()).toBe(8);
    // In production an instance keeps a page's counters for up to 5 s (±20%): counted reads show after that.
    if (stack.cache === 'redis') await new Promise((r) => setTimeout(r, NEAR_CACHED.statHashes.localTtlMs * 1.2));
    expect((await view(id)).readCnt).toBe(8);
    const metrics = (await t.app.inject('/metrics')).body;
    expect(metrics).toMatch(/webook_events_settled_total\{topic="article.read",group="interactive-read-count",outcome="acked"\} [1-9]/);
    expect(metrics).toMatch(/webook_event_batch_seconds_count\{topic="article.read",group="interactive-read-count"\} [1-9]/);
  });
});
