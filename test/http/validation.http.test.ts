import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, authed, bodyOf, buildTestApp, signup, type TestApp } from '../support/app.js';

/**
 * Every invalid field of every route: 400 with code 400001 and the field named, never
 * a 500. Validation is the same code on every backend, so SQLite suffices here.
 */
describe('bad input over HTTP', () => {
  let t: TestApp;
  let access: string;
  beforeAll(async () => {
    t = await buildTestApp({ dialect: 'sqlite', cache: 'memory' });
    ({ access } = await signup(t.app, 'valid@example.com'));
  });
  afterAll(async () => t.close());

  const good = { email: 'new@example.com', password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD };

  const cases: { name: string; url: string; auth?: boolean; payload: unknown; field: string }[] = [
    { name: 'signup without email', url: '/users/signup', payload: { ...good, email: undefined }, field: 'email' },
    { name: 'signup with a non-email', url: '/users/signup', payload: { ...good, email: 'not-an-email' }, field: 'email' },
    { name: 'signup with an email too long', url: '/users/signup', payload: { ...good, email: `${'a'.repeat(130)}@x.io` }, field: 'email' },
    { name: 'signup with a numeric email', url: '/users/signup', payload: { ...good, email: 12345 }, field: 'email' },
    { name: 'signup without password', url: '/users/signup', payload: { ...good, password: undefined }, field: 'password' },
    { name: 'signup with a short password', url: '/users/signup', payload: { ...good, password: 'a1#', confirmPassword: 'a1#' }, field: 'password' },
    { name: 'signup with a password lacking a digit', url: '/users/signup', payload: { ...good, password: 'abcdefg#', confirmPassword: 'abcdefg#' }, field: 'password' },
    { name: 'signup with a password lacking a special character', url: '/users/signup', payload: { ...good, password: 'abcdefg1', confirmPassword: 'abcdefg1' }, field: 'password' },
    { name: 'signup with a password lacking a letter', url: '/users/signup', payload: { ...good, password: '1234567#', confirmPassword: '1234567#' }, field: 'password' },
    { name: 'signup with a huge password', url: '/users/signup', payload: { ...good, password: `a1#${'x'.repeat(200)}` }, field: 'password' },
    { name: 'signup without confirmPassword', url: '/users/signup', payload: { ...good, confirmPassword: undefined }, field: 'confirmPassword' },
    { name: 'signup with an unknown field', url: '/users/signup', payload: { ...good, admin: true }, field: 'admin' },
    { name: 'signup with an array body', url: '/users/signup', payload: [good], field: 'body' },
    { name: 'login without email', url: '/users/login', payload: { password: 'x' }, field: 'email' },
    { name: 'login with a bad email', url: '/users/login', payload: { email: 'x@', password: 'x' }, field: 'email' },
    { name: 'login with an empty password', url: '/users/login', payload: { email: 'a@b.co', password: '' }, field: 'password' },
    { name: 'login with an object password', url: '/users/login', payload: { email: 'a@b.co', password: { $ne: 1 } }, field: 'password' },
    { name: 'edit with an empty nickname', url: '/users/edit', auth: true, payload: { nickname: '' }, field: 'nickname' },
    { name: 'edit with a blank nickname', url: '/users/edit', auth: true, payload: { nickname: '    ' }, field: 'nickname' },
    { name: 'edit with a nickname too long', url: '/users/edit', auth: true, payload: { nickname: 'n'.repeat(33) }, field: 'nickname' },
    { name: 'edit with a birthday in another format', url: '/users/edit', auth: true, payload: { birthday: '09/12/1906' }, field: 'birthday' },
    { name: 'edit with a numeric birthday', url: '/users/edit', auth: true, payload: { birthday: 19061209 }, field: 'birthday' },
    { name: 'edit with aboutMe too long', url: '/users/edit', auth: true, payload: { aboutMe: 'x'.repeat(1025) }, field: 'aboutMe' },
    { name: 'edit with nothing to change', url: '/users/edit', auth: true, payload: {}, field: 'body' },
    { name: 'edit with an unknown field', url: '/users/edit', auth: true, payload: { email: 'steal@example.com' }, field: 'email' },
  ];

  it.each(cases)('when $name, then 400 naming $field', async ({ url, auth, payload, field }) => {
    const res = await t.app.inject({ method: 'POST', url, headers: auth ? authed(access) : {}, payload: payload as object });
    expect(res.statusCode).toBe(400);
    const body = bodyOf(res);
    expect(body.code).toBe(400001);
    expect(body.data.fields).toHaveProperty([field]);
    expect(res.body).not.toMatch(/stack|at .*\.ts|select |insert /i);
  });

  it('when the body is not JSON, then 400 with a code', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/users/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({ code: 400007 });
  });

  it('when the body is empty, then 400 with a code', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/users/login', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).code).toBeGreaterThanOrEqual(400001);
  });

  it('when the content type is not JSON, then 415 with a code', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/users/login', headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
    expect(res.statusCode).toBe(415);
    expect(bodyOf(res)).toMatchObject({ code: 400006 });
  });

  it('when the body is over 1 MiB, then 413 with a code', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/users/edit',
      headers: { ...authed(access), 'content-type': 'application/json' },
      payload: JSON.stringify({ aboutMe: 'x'.repeat(1_100_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(bodyOf(res)).toMatchObject({ code: 400005 });
  });

  it('when the URL does not decode or a part of it is too long, then 400 or 414 in the envelope, not Fastify\'s own body', async () => {
    for (const url of ['/articles/pub/%FF', '/api/profiles/%E0%A4%A']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(bodyOf(res), url).toMatchObject({ code: 400008, data: null });
    }
    // Over 100 characters a path part matches no parameter: 414 from the router, or 404
    // when the web UI's fallback route is installed and takes the path; either way an envelope.
    const long = await t.app.inject({ method: 'GET', url: `/articles/pub/${'1'.repeat(101)}` });
    expect({ status: long.statusCode, code: bodyOf(long).code }).toEqual(long.statusCode === 414 ? { status: 414, code: 400008 } : { status: 404, code: 400004 });
  });

  it('when a body nests 100,000 levels deep, then the schema refuses it (400), not a 500', async () => {
    for (const payload of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const res = await t.app.inject({ method: 'POST', url: '/users/edit', headers: { ...authed(access), 'content-type': 'application/json' }, payload });
      expect(res.statusCode).toBe(400);
      expect(bodyOf(res)).toMatchObject({ code: 400001 });
    }
  });

  it('when the authorization header is malformed, then 401 not 500', async () => {
    for (const authorization of ['Bearer', 'Basic abc', `Bearer ${'a'.repeat(5000)}`, 'Bearer a b']) {
      const res = await t.app.inject({ method: 'GET', url: '/users/profile', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });
});
