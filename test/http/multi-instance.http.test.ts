import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { authed, bodyOf, buildTestApp, signup, type TestApp } from '../support/app.js';
import { get, newUser, post, publish } from '../support/articles.js';
import { eventually } from '../support/eventually.js';

/**
 * Two API instances over one database and one Redis, as production runs behind a load
 * balancer. Each keeps sessions, users, published articles and readers' marks (what they
 * liked and collected) in its near cache; a write on one must be seen by the other within
 * one pub/sub message.
 */
const serverStacks = stacks.filter((s) => s.dialect !== 'sqlite');
if (serverStacks.length === 0) {
  it.skip('two API instances need MariaDB or PostgreSQL plus Redis: set WEBOOK_TEST_*_URL (CI does)', () => {});
}

describe.each(serverStacks)('two instances on $dialect + $cache', (stack) => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await buildTestApp(stack);
    b = await buildTestApp(stack, {}, { shareWith: a });
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('when a user logs out on one instance, then the other refuses the token at once', async () => {
    const { access } = await signup(a.app, 'roam@example.com');
    // Both instances have the session in their near cache.
    expect((await a.app.inject({ url: '/users/profile', headers: authed(access) })).statusCode).toBe(200);
    expect((await b.app.inject({ url: '/users/profile', headers: authed(access) })).statusCode).toBe(200);

    expect((await a.app.inject({ method: 'POST', url: '/users/logout', headers: authed(access) })).statusCode).toBe(200);
    await eventually(async () => {
      expect((await b.app.inject({ url: '/users/profile', headers: authed(access) })).statusCode).toBe(401);
    });
  });

  it('when a profile is edited on one instance, then the other serves the new one', async () => {
    const { access } = await signup(a.app, 'edit-roam@example.com');
    await b.app.inject({ url: '/users/profile', headers: authed(access) }); // cached on b
    await a.app.inject({ method: 'POST', url: '/users/edit', headers: authed(access), payload: { nickname: 'moved' } });
    await eventually(async () => {
      const res = await b.app.inject({ url: '/users/profile', headers: authed(access) });
      expect(bodyOf(res).data.nickname).toBe('moved');
    });
  });

  it('when a reader likes, collects and deletes the folder on one instance, then the other shows flags and counts within a message, long before its copies expire', async () => {
    const author = await newUser(a.app);
    const reader = await newUser(a.app);
    const id = await publish(a.app, author.token);
    const seen = async () => {
      const { liked, collected, likeCnt, collectCnt } = bodyOf(await get(b.app, `/articles/pub/${id}`, reader.token)).data as Record<string, unknown>;
      return { liked, collected, likeCnt, collectCnt };
    };
    // Copies live 5 s (marks) and 0.8-1.2 s (counters): within 500 ms only an invalidation explains a change.
    const soon = (expected: Record<string, unknown>) => eventually(async () => expect(await seen()).toEqual(expected), 500);
    expect(await seen()).toEqual({ liked: false, collected: false, likeCnt: 0, collectCnt: 0 });
    await seen(); // the counters, filled by the first view, now kept on b too

    expect((await post(a.app, '/articles/pub/like', reader.token, { id, like: true })).statusCode).toBe(200);
    await soon({ liked: true, collected: false, likeCnt: 1, collectCnt: 0 });
    const cid = bodyOf(await post(a.app, '/collections/create', reader.token, { name: 'later' })).data.id as number;
    expect((await post(a.app, '/articles/pub/collect', reader.token, { id, cid })).statusCode).toBe(200);
    await soon({ liked: true, collected: true, likeCnt: 1, collectCnt: 1 });
    await seen();
    expect((await post(a.app, '/collections/delete', reader.token, { id: cid })).statusCode).toBe(200);
    await soon({ liked: true, collected: false, likeCnt: 1, collectCnt: 0 });

    expect((await post(a.app, '/articles/pub/collect', reader.token, { id, cid: bodyOf(await post(a.app, '/collections/create', reader.token, { name: 'again' })).data.id })).statusCode).toBe(200);
    await soon({ liked: true, collected: true, likeCnt: 1, collectCnt: 1 });
    expect((await post(a.app, '/articles/pub/like', reader.token, { id, like: false })).statusCode).toBe(200);
    expect((await post(a.app, '/articles/pub/uncollect', reader.token, { id })).statusCode).toBe(200);
    await soon({ liked: false, collected: false, likeCnt: 0, collectCnt: 0 });
  });

  it('when an article is read on one instance, then the other shows them once they are counted', async () => {
    const author = await newUser(a.app);
    const id = await publish(a.app, author.token);
    const reads = async (app: TestApp['app']) => bodyOf(await get(app, `/articles/pub/${id}`, null)).data.readCnt as number;
    await reads(b.app); // cached from now on, and soon kept on b
    for (let i = 0; i < 3; i++) await reads(a.app);
    await eventually(async () => expect(await reads(b.app)).toBeGreaterThanOrEqual(4), 5000);
  });
});
