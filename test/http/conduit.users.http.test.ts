import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { STRONG_PASSWORD, UA, authed, buildTestApp, type TestApp } from '../support/app.js';
import { newUser } from '../support/articles.js';
import { call, json, register, uniqueName, type ConduitClient } from '../support/conduit.js';

describe.each(stacks)('Conduit users and profiles over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let jake: ConduitClient;
  beforeAll(async () => {
    t = await buildTestApp(stack);
    jake = await register(t.app, 'Jake');
  });
  afterAll(async () => t.close());

  it('when someone registers, then 201 with the user, a working token, a null bio and image', async () => {
    const username = uniqueName('Ann');
    const res = await call(t.app, 'POST', '/users', { body: { user: { username, email: `${username}@Example.com`, password: STRONG_PASSWORD } } });
    expect(res.statusCode).toBe(201);
    const { user } = json(res);
    expect(user).toEqual({ email: `${username.toLowerCase()}@example.com`, username, bio: null, image: null, token: expect.any(String) });
    const me = await call(t.app, 'GET', '/user', { token: user.token });
    expect(me.statusCode).toBe(200);
    expect(json(me).user).toEqual({ ...user, token: expect.any(String) });
  });

  it('when a registered user logs in, then 200 with a new token; a wrong password is 401 keyed "email or password"', async () => {
    const ok = await call(t.app, 'POST', '/users/login', { body: { user: { email: jake.email.toUpperCase(), password: STRONG_PASSWORD } } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).user).toMatchObject({ username: jake.username, email: jake.email });
    expect((await call(t.app, 'GET', '/user', { token: json(ok).user.token })).statusCode).toBe(200);
    const bad = await call(t.app, 'POST', '/users/login', { body: { user: { email: jake.email, password: 'wrong#Pass1' } } });
    expect(bad.statusCode).toBe(401);
    expect(json(bad)).toEqual({ errors: { 'email or password': ['is invalid'] } });
    const unknown = await call(t.app, 'POST', '/users/login', { body: { user: { email: 'nobody@example.com', password: STRONG_PASSWORD } } });
    expect(json(unknown)).toEqual(json(bad));
  });

  it('when a registration is missing or malforms fields, then 422 naming every field, and no account is created', async () => {
    const blank = await call(t.app, 'POST', '/users', { body: { user: {} } });
    expect(blank.statusCode).toBe(422);
    expect(json(blank)).toEqual({ errors: { username: ["can't be blank"], email: ["can't be blank"], password: ["can't be blank"] } });
    const bad = await call(t.app, 'POST', '/users', { body: { user: { username: 'a b', email: 'not-an-email', password: 'short' } } });
    expect(bad.statusCode).toBe(422);
    expect(Object.keys(json(bad).errors).sort()).toEqual(['email', 'password', 'username']);
    const noWrapper = await call(t.app, 'POST', '/users', { body: { username: 'x' } });
    expect(noWrapper.statusCode).toBe(422);
    expect(json(noWrapper)).toEqual({ errors: { user: ["can't be blank"] } });
    const wrongType = await call(t.app, 'POST', '/users', { body: { user: { username: 5, email: 'a@b.co', password: STRONG_PASSWORD } } });
    expect(wrongType.statusCode).toBe(422);
    expect(json(wrongType).errors.username).toEqual([expect.any(String)]);
    const notJson = await t.app.inject({ method: 'POST', url: '/api/users', headers: { 'user-agent': UA, 'content-type': 'application/json' }, payload: '{"user":' });
    expect(notJson.statusCode).toBe(422);
    expect(json(notJson).errors.body).toBeDefined();
    const text = await t.app.inject({ method: 'POST', url: '/api/users', headers: { 'user-agent': UA, 'content-type': 'text/plain' }, payload: 'hello' });
    expect([text.statusCode, Object.keys(json(text).errors)]).toEqual([422, ['body']]);
    const xml = await t.app.inject({ method: 'POST', url: '/api/users', headers: { 'user-agent': UA, 'content-type': 'application/xml' }, payload: '<user/>' });
    expect([xml.statusCode, Object.keys(json(xml).errors)]).toEqual([415, ['body']]);
    const huge = await call(t.app, 'POST', '/users', { body: { user: { username: 'x'.repeat(1100 * 1024), email: 'a@b.co', password: STRONG_PASSWORD } } });
    expect([huge.statusCode, Object.keys(json(huge).errors)]).toEqual([413, ['body']]);
    const login = await call(t.app, 'POST', '/users/login', { body: { user: { email: 'a b@c', password: STRONG_PASSWORD } } });
    expect(login.statusCode).toBe(401); // never registered: nothing was created above
  });

  it('when a username or email is taken (in any letter case), then 409 naming it, and the loser has no account', async () => {
    const email = `${uniqueName('x')}@example.com`;
    const name = await call(t.app, 'POST', '/users', { body: { user: { username: jake.username.toUpperCase(), email, password: STRONG_PASSWORD } } });
    expect(name.statusCode).toBe(409);
    expect(json(name)).toEqual({ errors: { username: ['has already been taken'] } });
    const login = await call(t.app, 'POST', '/users/login', { body: { user: { email, password: STRONG_PASSWORD } } });
    expect(login.statusCode).toBe(401);
    const mail = await call(t.app, 'POST', '/users', { body: { user: { username: uniqueName('y'), email: jake.email, password: STRONG_PASSWORD } } });
    expect(mail.statusCode).toBe(409);
    expect(json(mail)).toEqual({ errors: { email: ['has already been taken'] } });
  });

  it('when two registrations race for one username, then exactly one wins and the other is a 409', async () => {
    const username = uniqueName('Race');
    const results = await Promise.all(
      [1, 2, 3].map((i) => call(t.app, 'POST', '/users', { body: { user: { username, email: `${username}${i}@example.com`, password: STRONG_PASSWORD } } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    // The losers' accounts rolled back with their usernames: only the winner can log in.
    const logins = await Promise.all([1, 2, 3].map((i) => call(t.app, 'POST', '/users/login', { body: { user: { email: `${username}${i}@example.com`, password: STRONG_PASSWORD } } })));
    expect(logins.map((r) => r.statusCode).sort()).toEqual([200, 401, 401]);
    const profile = await call(t.app, 'GET', `/profiles/${username}`);
    expect(json(profile).profile.username).toBe(username);
  });

  it('when the token is missing, malformed, forged or from another user agent, then 401 keyed token', async () => {
    expect(json(await call(t.app, 'GET', '/user'))).toEqual({ errors: { token: ['is missing'] } });
    expect((await call(t.app, 'GET', '/user')).statusCode).toBe(401);
    const malformed = await call(t.app, 'GET', '/user', { headers: { authorization: 'Token a b' } });
    expect([malformed.statusCode, json(malformed)]).toEqual([401, { errors: { token: ['is invalid'] } }]);
    // The signature's first character changed: all six of its bits are the signature's, so the
    // token always differs (rewriting the last ones could land on the same value or on padding bits).
    const signature = jake.token.lastIndexOf('.') + 1;
    const flipped = jake.token[signature] === 'A' ? 'B' : 'A';
    const forged = await call(t.app, 'GET', '/user', { token: `${jake.token.slice(0, signature)}${flipped}${jake.token.slice(signature + 1)}` });
    expect([forged.statusCode, json(forged)]).toEqual([401, { errors: { token: ['is invalid'] } }]);
    const otherAgent = await call(t.app, 'GET', '/user', { token: jake.token, headers: { 'user-agent': 'curl/8' } });
    expect(otherAgent.statusCode).toBe(401);
    const bearer = await call(t.app, 'GET', '/user', { headers: { authorization: `Bearer ${jake.token}` } });
    expect(bearer.statusCode).toBe(200);
    expect((await call(t.app, 'PUT', '/user', { body: { user: { bio: 'x' } } })).statusCode).toBe(401);
  });

  it('when a front end sends "Token null" or "Token undefined" before anyone logged in, then open routes answer anonymously and closed ones 401', async () => {
    for (const authorization of ['Token null', 'Token undefined', 'Token ', 'Bearer null']) {
      const open = await call(t.app, 'GET', `/profiles/${jake.username}`, { headers: { authorization } });
      expect([open.statusCode, json(open).profile.following], authorization).toEqual([200, false]);
      expect((await call(t.app, 'GET', '/articles', { headers: { authorization } })).statusCode).toBe(200);
      const closed = await call(t.app, 'GET', '/user', { headers: { authorization } });
      expect([closed.statusCode, json(closed)]).toEqual([401, { errors: { token: ['is missing'] } }]);
    }
    expect((await call(t.app, 'GET', `/profiles/${jake.username}`, { headers: { authorization: 'Token not.a.jwt' } })).statusCode).toBe(401);
  });

  it('when the user logs out through Webook, then the Conduit token stops working too', async () => {
    const u = await register(t.app, 'Leaver');
    const logout = await t.app.inject({ method: 'POST', url: '/users/logout', headers: authed(u.token) });
    expect(logout.statusCode).toBe(200);
    expect((await call(t.app, 'GET', '/user', { token: u.token })).statusCode).toBe(401);
  });

  it('when the user updates every field, then the answer and later reads show them, and the new email and password log in', async () => {
    const u = await register(t.app, 'Changer');
    const next = { username: uniqueName('Changed'), email: `${uniqueName('new')}@example.com`, password: 'new#Password2', bio: 'I like to skateboard', image: 'https://i.example.com/me.png' };
    const res = await call(t.app, 'PUT', '/user', { token: u.token, body: { user: next } });
    expect(res.statusCode).toBe(200);
    expect(json(res).user).toEqual({ username: next.username, email: next.email, bio: next.bio, image: next.image, token: expect.any(String) });
    expect(json(await call(t.app, 'GET', `/profiles/${next.username}`)).profile).toEqual({ username: next.username, bio: next.bio, image: next.image, following: false });
    expect((await call(t.app, 'GET', `/profiles/${u.username}`)).statusCode).toBe(404);
    const login = await call(t.app, 'POST', '/users/login', { body: { user: { email: next.email, password: next.password } } });
    expect(login.statusCode).toBe(200);
    const old = await call(t.app, 'POST', '/users/login', { body: { user: { email: u.email, password: STRONG_PASSWORD } } });
    expect(old.statusCode).toBe(401);
    // A settings form sends everything back: an empty password and image keep the password and clear the image.
    const resent = await call(t.app, 'PUT', '/user', { token: u.token, body: { user: { ...json(res).user, password: '', image: '' } } });
    expect([resent.statusCode, json(resent).user.image]).toEqual([200, null]);
    expect((await call(t.app, 'POST', '/users/login', { body: { user: { email: next.email, password: next.password } } })).statusCode).toBe(200);
    const cleared = await call(t.app, 'PUT', '/user', { token: u.token, body: { user: { bio: null, image: null } } });
    expect(json(cleared).user).toMatchObject({ bio: null, image: null, username: next.username });
  });

  it('when an update is empty, unsafe or takes a name or email in use, then 422 or 409 and nothing changes', async () => {
    const u = await register(t.app, 'Careful');
    expect((await call(t.app, 'PUT', '/user', { token: u.token, body: { user: {} } })).statusCode).toBe(422);
    const unsafe = await call(t.app, 'PUT', '/user', { token: u.token, body: { user: { image: 'javascript:alert(1)', username: uniqueName('Never') } } });
    expect(unsafe.statusCode).toBe(422);
    expect(json(unsafe)).toEqual({ errors: { image: ['must be an http(s) URL'] } });
    const taken = await call(t.app, 'PUT', '/user', { token: u.token, body: { user: { username: jake.username.toLowerCase(), email: `${uniqueName('unsaved')}@example.com` } } });
    expect([taken.statusCode, json(taken)]).toEqual([409, { errors: { username: ['has already been taken'] } }]);
    const email = await call(t.app, 'PUT', '/user', { token: u.token, body: { user: { email: jake.email, bio: 'not saved', username: uniqueName('NotSaved') } } });
    expect([email.statusCode, json(email)]).toEqual([409, { errors: { email: ['has already been taken'] } }]);
    const reserved = await call(t.app, 'PUT', '/user', { token: u.token, body: { user: { username: 'user-1' } } });
    expect([reserved.statusCode, json(reserved)]).toEqual([422, { errors: { username: ['is reserved'] } }]);
    expect(json(await call(t.app, 'GET', '/user', { token: u.token })).user).toMatchObject({ username: u.username, email: u.email, image: null, bio: null });
  });

  it('when four users race to rename themselves to one free name, then one gets it, the others get 409 and keep theirs', async () => {
    const conduitUsers = await Promise.all([register(t.app, 'RacerA'), register(t.app, 'RacerB')]);
    const webookUsers = await Promise.all([newUser(t.app), newUser(t.app)]);
    const tokens = [...conduitUsers.map((u) => u.token), ...webookUsers.map((u) => u.token)];
    const before = await Promise.all(tokens.map(async (token) => json(await call(t.app, 'GET', '/user', { token })).user.username as string));
    const wanted = uniqueName('Prize');
    const results = await Promise.all(tokens.map((token) => call(t.app, 'PUT', '/user', { token, body: { user: { username: wanted } } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409]);
    const winner = results.findIndex((r) => r.statusCode === 200);
    const after = await Promise.all(tokens.map(async (token) => json(await call(t.app, 'GET', '/user', { token })).user.username as string));
    expect(after).toEqual(before.map((name, i) => (i === winner ? wanted : name)));
    expect(json(await call(t.app, 'GET', `/profiles/${wanted}`)).profile.username).toBe(wanted);
  });

  it('when a user follows and unfollows a profile, then following says so to them only, idempotently', async () => {
    const fan = await register(t.app, 'Fan');
    const first = await call(t.app, 'POST', `/profiles/${jake.username}/follow`, { token: fan.token });
    expect(first.statusCode).toBe(200);
    expect(json(first).profile).toEqual({ username: jake.username, bio: null, image: null, following: true });
    expect(json(await call(t.app, 'POST', `/profiles/${jake.username}/follow`, { token: fan.token })).profile.following).toBe(true);
    expect(json(await call(t.app, 'GET', `/profiles/${jake.username}`, { token: fan.token })).profile.following).toBe(true);
    expect(json(await call(t.app, 'GET', `/profiles/${jake.username}`)).profile.following).toBe(false);
    const stats = await t.app.inject({ method: 'GET', url: `/follows/stats?uid=${await uidOf(jake)}` });
    expect(stats.json().data.followerCnt).toBe(1);
    const off = await call(t.app, 'DELETE', `/profiles/${jake.username}/follow`, { token: fan.token });
    expect([off.statusCode, json(off).profile.following]).toEqual([200, false]);
    expect((await call(t.app, 'DELETE', `/profiles/${jake.username}/follow`, { token: fan.token })).statusCode).toBe(200);
  });

  it('when following anonymously, an unknown user or oneself, then 401, 404 keyed profile, 422', async () => {
    expect((await call(t.app, 'POST', `/profiles/${jake.username}/follow`)).statusCode).toBe(401);
    expect((await call(t.app, 'DELETE', `/profiles/${jake.username}/follow`)).statusCode).toBe(401);
    const unknown = await call(t.app, 'POST', '/profiles/nobody-here/follow', { token: jake.token });
    expect([unknown.statusCode, json(unknown)]).toEqual([404, { errors: { profile: ['not found'] } }]);
    expect((await call(t.app, 'GET', '/profiles/nobody-here')).statusCode).toBe(404);
    const self = await call(t.app, 'POST', `/profiles/${jake.username}/follow`, { token: jake.token });
    expect(self.statusCode).toBe(422);
    expect(Object.keys(json(self).errors)).toEqual(['username']);
  });

  it('when a user signed up through the Webook API, then Conduit knows them as user-<id> with their about-me as bio, until they choose a name', async () => {
    const w = await newUser(t.app, 'Webook Person');
    await t.app.inject({ method: 'POST', url: '/users/edit', headers: authed(w.token), payload: { aboutMe: 'from webook' } });
    const derived = `user-${w.uid}`;
    expect(json(await call(t.app, 'GET', '/user', { token: w.token })).user).toMatchObject({ username: derived, bio: 'from webook', image: null });
    expect(json(await call(t.app, 'GET', `/profiles/${derived}`)).profile).toEqual({ username: derived, bio: 'from webook', image: null, following: false });
    expect(json(await call(t.app, 'GET', `/profiles/USER-${w.uid}`)).profile.username).toBe(derived);
    // An image alone keeps the derived name; choosing a name retires it.
    expect(json(await call(t.app, 'PUT', '/user', { token: w.token, body: { user: { image: 'https://i.example.com/w.png' } } })).user.username).toBe(derived);
    const chosen = uniqueName('Chosen');
    expect((await call(t.app, 'PUT', '/user', { token: w.token, body: { user: { username: chosen } } })).statusCode).toBe(200);
    expect(json(await call(t.app, 'GET', `/profiles/${chosen}`)).profile).toMatchObject({ image: 'https://i.example.com/w.png' });
    expect((await call(t.app, 'GET', `/profiles/${derived}`)).statusCode).toBe(404);
    expect((await call(t.app, 'GET', '/profiles/user-999999999')).statusCode).toBe(404);
  });

  it('when a Conduit user is read through the Webook API, then its nickname is the username it registered with', async () => {
    const u = await register(t.app, 'Nick');
    const profile = await t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(u.token) });
    expect(profile.json().data).toMatchObject({ nickname: u.username, email: u.email });
  });

  async function uidOf(u: ConduitClient): Promise<number> {
    return (await t.app.inject({ method: 'GET', url: '/users/profile', headers: authed(u.token) })).json().data.id as number;
  }
});

describe.each(stacks)('Conduit tokens over time on $dialect + $cache', (stack) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(stack);
  });
  afterAll(async () => t.close());

  it('when a client reads its user every 20 minutes, then the renewed token keeps it signed in past the first token\'s 30 minutes', async () => {
    const u = await register(t.app, 'Sliding');
    t.clock.advance(20 * 60_000);
    const renewed = json(await call(t.app, 'GET', '/user', { token: u.token })).user.token as string;
    expect(renewed).not.toBe(u.token);
    t.clock.advance(20 * 60_000);
    expect((await call(t.app, 'GET', '/user', { token: u.token })).statusCode).toBe(401);
    const again = await call(t.app, 'GET', '/user', { token: renewed });
    expect([again.statusCode, json(again).user.username]).toEqual([200, u.username]);
    // Renewal never outlives the session: after a logout neither token works.
    await t.app.inject({ method: 'POST', url: '/users/logout', headers: authed(renewed) });
    expect((await call(t.app, 'GET', '/user', { token: json(again).user.token })).statusCode).toBe(401);
  });
});
