import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { UA, authed, bodyOf, buildTestApp, signup, tokensOf, type TestApp } from '../support/app.js';

describe.each(stacks)('sessions over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(stack);
  });
  afterAll(async () => t.close());

  let n = 0;
  const newUser = () => signup(t.app, `s${++n}@example.com`);
  const profile = (token: string, ua = UA) => t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(token, ua) });
  const refresh = (token: string, ua = UA) => t.app.inject({ method: 'POST', url: '/users/refresh_token', headers: authed(token, ua) });
  const logout = (token: string) => t.app.inject({ method: 'POST', url: '/users/logout', headers: authed(token) });

  it('when no token is sent, then 401 with a code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/users/profile' });
    expect(res.statusCode).toBe(401);
    expect(bodyOf(res)).toMatchObject({ code: 401101 });
  });

  it('when the token is tampered with, then 401', async () => {
    const { access } = await newUser();
    const [h, p, s] = access.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { uid: number };
    const forged = Buffer.from(JSON.stringify({ ...claims, uid: claims.uid + 1 })).toString('base64url');
    for (const bad of [`${h}.${forged}.${s}`, `${access}x`, 'not-a-jwt', `${h}.${p}.`]) {
      const res = await profile(bad);
      expect(res.statusCode, bad).toBe(401);
    }
  });

  it('when the token was signed with another key or algorithm "none", then 401', async () => {
    const { access } = await newUser();
    const [, p] = access.split('.') as [string, string];
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect((await profile(none)).statusCode).toBe(401);
  });

  it('when a refresh token is used as an access token (or the reverse), then 401', async () => {
    const { access, refresh: rt } = await newUser();
    expect((await profile(rt)).statusCode).toBe(401);
    expect((await refresh(access)).statusCode).toBe(401);
  });

  it('when the token comes from another user agent, then 401', async () => {
    const { access, refresh: rt } = await newUser();
    expect((await profile(access, 'curl/8.0')).statusCode).toBe(401);
    expect((await refresh(rt, 'curl/8.0')).statusCode).toBe(401);
    expect((await profile(access)).statusCode).toBe(200);
  });

  it('when the access token is past its 30 minutes, then 401, and refresh gives a working pair', async () => {
    const { access, refresh: rt } = await newUser();
    t.clock.advance(31 * 60 * 1000);
    const expired = await profile(access);
    expect(expired.statusCode).toBe(401);
    expect(bodyOf(expired).code).toBe(401102);
    const res = await refresh(rt);
    expect(res.statusCode).toBe(200);
    const next = tokensOf(res);
    expect(next.access).not.toBe(access);
    expect(next.refresh).not.toBe(rt);
    expect((await profile(next.access)).statusCode).toBe(200);
  });

  it('when the refresh token is past its 7 days, then refresh is 401', async () => {
    const { refresh: rt } = await newUser();
    t.clock.advance(7 * 24 * 3600 * 1000 + 1000);
    expect((await refresh(rt)).statusCode).toBe(401);
  });

  it('when the user logs out, then both tokens stop working at once', async () => {
    const { access, refresh: rt } = await newUser();
    expect((await profile(access)).statusCode).toBe(200);
    expect((await logout(access)).statusCode).toBe(200);
    const after = await profile(access);
    expect(after.statusCode).toBe(401);
    expect(bodyOf(after).code).toBe(401103);
    expect((await refresh(rt)).statusCode).toBe(401);
    expect((await logout(access)).statusCode).toBe(401);
  });

  it('when logging out one session, then the same user\'s other session lives on', async () => {
    await signup(t.app, 'two-devices@example.com');
    const loginOnce = async () =>
      tokensOf(
        await t.app.inject({
          method: 'POST',
          url: '/users/login',
          headers: { 'user-agent': UA },
          payload: { email: 'two-devices@example.com', password: 'hello#World1' },
        }),
      );
    const a = await loginOnce();
    const b = await loginOnce();
    await logout(a.access);
    expect((await profile(a.access)).statusCode).toBe(401);
    expect((await profile(b.access)).statusCode).toBe(200);
  });

  it('when a rotated-out refresh token is replayed, then the whole session is revoked', async () => {
    const { refresh: first } = await newUser();
    const rotated = tokensOf(await refresh(first));
    expect((await profile(rotated.access)).statusCode).toBe(200);

    const replay = await refresh(first);
    expect(replay.statusCode).toBe(401);
    expect(bodyOf(replay).code).toBe(401104);
    // The thief's replay also ends the legitimate holder's tokens.
    expect((await profile(rotated.access)).statusCode).toBe(401);
    expect((await refresh(rotated.refresh)).statusCode).toBe(401);
    expect(t.logs.some((l) => l.severity === 'P2' && l.code === 401104 && typeof l.traceId === 'string')).toBe(true);
  });

  it('when the cache forgets a session, then the database still knows it is alive', async () => {
    const { access } = await newUser();
    const ssid = (JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString()) as { ssid: string }).ssid;
    await t.container.backends.cache.del(`session:${ssid}`);
    expect((await profile(access)).statusCode).toBe(200);
    await logout(access);
    await t.container.backends.cache.del(`session:${ssid}`);
    expect((await profile(access)).statusCode).toBe(401);
  });
});
