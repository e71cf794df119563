import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { authed, bodyOf, buildTestApp, signup, type TestApp } from '../support/app.js';
import { eventually } from '../support/eventually.js';

/**
 * Two API instances over one database and one Redis, as production runs behind a load
 * balancer. Each keeps sessions and users in its near cache; a write on one must be seen
 * by the other within one pub/sub message.
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
});
