import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post, publish } from '../support/articles.js';
import { call, register } from '../support/conduit.js';

/**
 * U+0000 in a request's text. PostgreSQL cannot store it in a text column, so before the
 * guard these requests failed there with a 500 while SQLite and MySQL stored the text:
 * every backend must refuse it alike, with a 400, and write nothing.
 */
describe.each(stacks)('the NUL character in requests on $dialect + $cache', (stack) => {
  let t: TestApp;
  let user: { token: string; uid: number };
  beforeAll(async () => {
    t = await buildTestApp(stack);
    user = await newUser(t.app);
  });
  afterAll(async () => t.close());

  const refusedForNul = (res: { statusCode: number; body: string }) => {
    expect(res.statusCode, res.body).toBe(400);
    expect(bodyOf(res as never)).toMatchObject({ code: 400001, msg: 'text must not contain the NUL character (U+0000)' });
  };

  it.each([
    ['a draft title', '/articles/edit', { title: 'a\u0000b', content: 'x' }],
    ['a published article', '/articles/publish', { title: 'ab', content: 'x\u0000y' }],
    ['a tag', '/articles/publish', { title: 'ab', content: 'xy', tags: ['go', 'r\u0000ust'] }],
    ['a nickname', '/users/edit', { nickname: 'n\u0000m' }],
    ['a collection name', '/collections/create', { name: 'later\u0000' }],
    ['a comment', '/comments/create', { articleId: 1, content: 'hi\u0000' }],
    ['a property name', '/users/edit', { ['nick\u0000name']: 'n' }],
  ])('when %s holds it, then 400 and nothing is written', async (_what, url, payload) => {
    refusedForNul(await post(t.app, url, user.token, payload));
    const mine = bodyOf(await post(t.app, '/articles/list', user.token, { offset: 0, limit: 10 })).data as unknown[];
    expect(mine).toEqual([]);
    expect(bodyOf(await get(t.app, '/users/profile', user.token)).data.nickname).not.toContain('\u0000');
  });

  it('when a URL holds it percent-encoded, in a query or a path, then 400', async () => {
    refusedForNul(await get(t.app, '/search?q=go%00lang'));
    refusedForNul(await get(t.app, '/articles/pub/tagged?tag=r%00ust'));
    refusedForNul(await get(t.app, '/articles/pub/1%00'));
  });

  it('when the Conduit API gets it, then it is refused too, not a 500', async () => {
    const client = await register(t.app, 'nul');
    const res = await call(t.app, 'POST', '/articles', { token: client.token, body: { article: { title: 't\u0000', description: 'd', body: 'b' } } });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('when the text only spells it (a backslash, then "u0000"), then it is stored as written', async () => {
    const content = 'In JSON, write NUL as \\u0000; in C, as \\0.';
    const id = await publish(t.app, user.token, 'Escapes', content);
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`, user.token)).data.content).toBe(content);
  });
});
