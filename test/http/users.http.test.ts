import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { STRONG_PASSWORD, UA, authed, bodyOf, buildTestApp, signup, tokensOf, type TestApp } from '../support/app.js';

describe.each(stacks)('users over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(stack);
  });
  afterAll(async () => t.close());

  const login = (email: string, password: string, ua = UA) =>
    t.app.inject({ method: 'POST', url: '/users/login', headers: { 'user-agent': ua }, payload: { email, password } });

  it('when someone signs up, logs in, reads and edits the profile, then every step works', async () => {
    const signupTokens = await signup(t.app, 'Grace@Example.com');
    expect(signupTokens.access).toMatch(/^ey/);

    const res = await login('grace@example.com', STRONG_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ code: 0, msg: 'ok', data: null });
    const { access } = tokensOf(res);

    const profile = await t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(access) });
    expect(profile.statusCode).toBe(200);
    expect(bodyOf(profile).data).toMatchObject({ email: 'grace@example.com', phone: null, nickname: '', birthday: null, aboutMe: '' });

    const edit = await t.app.inject({
      method: 'POST',
      url: '/users/edit',
      headers: authed(access),
      payload: { nickname: '  Grace H ', birthday: '1906-12-09', aboutMe: 'COBOL, compilers, 编译器' },
    });
    expect(edit.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(access) });
    expect(bodyOf(after).data).toMatchObject({ nickname: 'Grace H', birthday: '1906-12-09', aboutMe: 'COBOL, compilers, 编译器' });

    const clear = await t.app.inject({ method: 'POST', url: '/users/edit', headers: authed(access), payload: { birthday: null } });
    expect(clear.statusCode).toBe(200);
    const cleared = await t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(access) });
    expect(bodyOf(cleared).data).toMatchObject({ nickname: 'Grace H', birthday: null });
  });

  it('when the email is taken (in any letter case), then signup is a 409 with the field named', async () => {
    await signup(t.app, 'taken@example.com');
    const res = await t.app.inject({
      method: 'POST',
      url: '/users/signup',
      payload: { email: 'TAKEN@example.com', password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD },
    });
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res)).toEqual({ code: 401001, msg: 'this email is already registered', data: { fields: { email: 'this email is already registered' } } });
  });

  it('when two signups with one email race, then one user exists and the other gets 409', async () => {
    const payload = { email: 'twins@example.com', password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD };
    const results = await Promise.all([1, 2].map(() => t.app.inject({ method: 'POST', url: '/users/signup', payload })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('when the email is unknown or the password wrong, then the answer is the same', async () => {
    await signup(t.app, 'known@example.com');
    const wrong = await login('known@example.com', 'nope#Nope1');
    const unknown = await login('nobody@example.com', STRONG_PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(wrong.statusCode);
    expect(bodyOf(unknown)).toEqual(bodyOf(wrong));
    expect(bodyOf(wrong)).toEqual({ code: 401003, msg: 'wrong email or password', data: null });
    expect(wrong.headers['x-jwt-token']).toBeUndefined();
  });

  it('when the passwords differ, then signup names confirmPassword', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/users/signup',
      payload: { email: 'mismatch@example.com', password: STRONG_PASSWORD, confirmPassword: `${STRONG_PASSWORD}x` },
    });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({ code: 401002, data: { fields: { confirmPassword: expect.any(String) } } });
  });

  it('when a birthday is not a real past date, then edit is refused with the field named', async () => {
    const { access } = await signup(t.app, 'bday@example.com');
    for (const birthday of ['2023-02-30', '2999-01-01', '1850-01-01']) {
      const res = await t.app.inject({ method: 'POST', url: '/users/edit', headers: authed(access), payload: { birthday } });
      expect(res.statusCode, birthday).toBe(400);
      expect(bodyOf(res)).toMatchObject({ code: 401004, data: { fields: { birthday: expect.any(String) } } });
    }
  });

  it('when the profile is edited, then the cached copy is not served stale', async () => {
    const { access } = await signup(t.app, 'cache@example.com');
    await t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(access) }); // fills the cache
    await t.app.inject({ method: 'POST', url: '/users/edit', headers: authed(access), payload: { nickname: 'fresh' } });
    const res = await t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(access) });
    expect(bodyOf(res).data.nickname).toBe('fresh');
  });

  it('stores argon2id hashes, never the password', async () => {
    await signup(t.app, 'hash@example.com');
    const row = await t.container.backends.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'hash@example.com')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(STRONG_PASSWORD);
  });
});
