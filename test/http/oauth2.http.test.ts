import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { UA, authed, bodyOf, buildTestApp, tokensOf, type TestApp } from '../support/app.js';
import { FAKE_APP, FakeOAuthServer, type FakeUser } from '../support/fake-oauth.js';

type Provider = 'wechat' | 'github';

/** Config pointing both providers at the fake, as a deployment points them at the real ones. */
function oauthEnv(fake: FakeOAuthServer, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    WEBOOK_OAUTH_WECHAT_APP_ID: FAKE_APP.wechat.appId,
    WEBOOK_OAUTH_WECHAT_APP_SECRET: FAKE_APP.wechat.secret,
    WEBOOK_OAUTH_WECHAT_REDIRECT_URL: FAKE_APP.wechat.redirectUrl,
    WEBOOK_OAUTH_WECHAT_AUTHORIZE_URL: `${fake.url}/connect/qrconnect`,
    WEBOOK_OAUTH_WECHAT_API_URL: fake.url,
    WEBOOK_OAUTH_GITHUB_CLIENT_ID: FAKE_APP.github.clientId,
    WEBOOK_OAUTH_GITHUB_CLIENT_SECRET: FAKE_APP.github.secret,
    WEBOOK_OAUTH_GITHUB_REDIRECT_URL: FAKE_APP.github.redirectUrl,
    WEBOOK_OAUTH_GITHUB_AUTHORIZE_URL: `${fake.url}/login/oauth/authorize`,
    WEBOOK_OAUTH_GITHUB_TOKEN_URL: `${fake.url}/login/oauth/access_token`,
    WEBOOK_OAUTH_GITHUB_API_URL: fake.url,
    WEBOOK_OAUTH_SUCCESS_URL: 'https://webook.example/welcome',
    ...overrides,
  };
}

/** A browser's side of the flow against one app. */
function browser(t: () => TestApp) {
  const start = async (provider: Provider) => {
    const res = await t().app.inject({ url: `/oauth2/${provider}/authurl`, headers: { 'user-agent': UA } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    return { url: bodyOf(res).data.url as string, setCookie, cookie: setCookie.split(';')[0]! };
  };
  const callback = (provider: Provider, query: Record<string, string>, cookie?: string, accept = 'application/json') =>
    t().app.inject({
      url: `/oauth2/${provider}/callback?${new URLSearchParams(query).toString()}`,
      headers: { 'user-agent': UA, accept, ...(cookie && { cookie }) },
    });
  const profile = async (res: Awaited<ReturnType<typeof callback>>) =>
    bodyOf(await t().app.inject({ url: '/users/profile', headers: authed(tokensOf(res).access) })).data;
  return { start, callback, profile };
}

let seq = 0;
const githubUser = (): FakeUser => ({ id: 9_000_000 + ++seq, login: `octo${seq}` });

describe.each(stacks)('OAuth2 login over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  const fake = new FakeOAuthServer();
  const b = browser(() => t);
  beforeAll(async () => {
    await fake.start();
    t = await buildTestApp(stack, oauthEnv(fake));
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.mode = 'ok';
  });

  const loginAs = async (provider: Provider, user: FakeUser, accept?: string) => {
    const { url, cookie } = await b.start(provider);
    return b.callback(provider, fake.approve(url, user), cookie, accept);
  };

  it('when a GitHub user logs in twice, then the first login creates the account and the second finds it', async () => {
    const user = githubUser();
    const first = await loginAs('github', user);
    expect(first.statusCode).toBe(200);
    expect(bodyOf(first)).toEqual({ code: 0, msg: 'ok', data: null });
    const profile = await b.profile(first);
    expect(profile).toMatchObject({ email: null, phone: null });
    const again = await loginAs('github', user);
    expect((await b.profile(again)).id).toBe(profile.id);
    expect((await b.profile(await loginAs('github', githubUser()))).id).not.toBe(profile.id);
    expect(fake.calls).toContain('GET /user');
  });

  it('when a WeChat user comes back through another app of the same account, then the unionid finds them', async () => {
    const first = await b.profile(await loginAs('wechat', { openid: 'o-app1-alice', unionid: 'u-alice' }));
    const viaOtherApp = await b.profile(await loginAs('wechat', { openid: 'o-app2-alice', unionid: 'u-alice' }));
    expect(viaOtherApp.id).toBe(first.id);
    const openidOnly = await loginAs('wechat', { openid: 'o-app1-bob' });
    expect(openidOnly.statusCode).toBe(200);
    expect((await b.profile(openidOnly)).id).not.toBe(first.id);
    expect((await b.profile(await loginAs('wechat', { openid: 'o-app1-bob' }))).id).toBe((await b.profile(openidOnly)).id);
  });

  it('when the authorize URL is asked for, then its state is bound to the browser by a signed, short-lived, HTTP-only cookie', async () => {
    for (const provider of ['wechat', 'github'] as const) {
      const { url, setCookie } = await b.start(provider);
      const state = new URL(url).searchParams.get('state')!;
      expect(state).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(url.startsWith(fake.url)).toBe(true);
      expect(setCookie).toContain(`webook_oauth_${provider}=${state}.`);
      expect(setCookie).toMatch(/; Path=\/oauth2\/\w+; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
    }
    expect((await b.start('wechat')).url).toMatch(/[?&]redirect_uri=http%3A%2F%2F127\.0\.0\.1%2Foauth2%2Fwechat%2Fcallback.*#wechat_redirect$/);
  });

  it('when the state does not match the browser cookie, then the callback is a 401 logged P2 and the provider is never asked', async () => {
    const { url, cookie } = await b.start('github');
    const other = await b.start('github');
    const wechat = await b.start('wechat');
    const grant = fake.approve(url, githubUser());
    const [name, value] = cookie.split('=') as [string, string];
    const [state, expires, mac] = value.split('.');
    const forged = [
      undefined, // no cookie at all: the login started in another browser
      other.cookie, // a valid cookie of another login
      wechat.cookie.replace('webook_oauth_wechat', 'webook_oauth_github'), // another provider's cookie
      `${name}=${state}.${Number(expires) + 600_000}.${mac}`, // expiry stretched
      // signature tampered in its first character, whose six bits are all the MAC's (one in 4,096
      // MACs ends in the 'AA' the tamper once wrote, and stayed valid)
      `${name}=${state}.${expires}.${mac![0] === 'A' ? 'B' : 'A'}${mac!.slice(1)}`,
      `${name}=garbage`,
    ];
    const callsBefore = fake.calls.length;
    for (const c of forged) {
      const res = await b.callback('github', grant, c);
      expect(res.statusCode, String(c)).toBe(401);
      expect(bodyOf(res).code).toBe(401201);
      expect(res.headers['x-jwt-token']).toBeUndefined();
    }
    expect(fake.calls.length).toBe(callsBefore);
    expect(t.logs.some((l) => l.code === 401201 && l.severity === 'P2')).toBe(true);
    expect((await b.callback('github', grant, cookie)).statusCode).toBe(200); // the genuine pair still works
  });

  it('when the state cookie is older than ten minutes, then the callback is refused', async () => {
    const { url, cookie } = await b.start('github');
    const grant = fake.approve(url, githubUser());
    t.clock.advance(10 * 60_000);
    expect(bodyOf(await b.callback('github', grant, cookie)).code).toBe(401201);
  });

  it('when the code was already used, then the provider refuses it and so do we', async () => {
    const { url, cookie } = await b.start('github');
    const grant = fake.approve(url, githubUser());
    expect((await b.callback('github', grant, cookie)).statusCode).toBe(200);
    const replay = await b.callback('github', grant, cookie);
    expect(replay.statusCode).toBe(401);
    expect(bodyOf(replay).code).toBe(401203);
    const { url: wUrl, cookie: wCookie } = await b.start('wechat');
    const wGrant = fake.approve(wUrl, { openid: 'o-replay' });
    expect((await b.callback('wechat', wGrant, wCookie)).statusCode).toBe(200);
    expect(bodyOf(await b.callback('wechat', wGrant, wCookie)).code).toBe(401203);
  });

  it('when code or state is missing or malformed, then 400 names the field', async () => {
    const { cookie } = await b.start('github');
    const cases: Record<string, string>[] = [{ state: 'a'.repeat(22) }, { code: 'abc' }, { code: 'abc', state: 'short' }, { code: 'a b<script>', state: 'a'.repeat(22) }, { code: 'x'.repeat(600), state: 'a'.repeat(22) }];
    for (const query of cases) {
      const res = await b.callback('github', query, cookie);
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(bodyOf(res)).toMatchObject({ code: 400001, data: { fields: expect.any(Object) } });
    }
  });

  it('when the provider is down or answers nonsense, then the callback is a 503 and nobody is logged in', async () => {
    for (const mode of ['error500', 'garbage'] as const) {
      const { url, cookie } = await b.start('github');
      const grant = fake.approve(url, githubUser());
      fake.mode = mode;
      const res = await b.callback('github', grant, cookie);
      expect(res.statusCode, mode).toBe(503);
      expect(bodyOf(res).code).toBe(501201);
      expect(res.headers['x-jwt-token']).toBeUndefined();
    }
  });

  it('when a browser comes back, then it is redirected to the UI with the tokens in the URL fragment', async () => {
    const res = await loginAs('github', githubUser(), 'text/html,application/xhtml+xml');
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe('https://webook.example/welcome');
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('x-jwt-token')).toBe(res.headers['x-jwt-token']);
    expect(fragment.get('x-refresh-token')).toBe(res.headers['x-refresh-token']);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    const profile = await t.app.inject({ url: '/users/profile', headers: authed(fragment.get('x-jwt-token')!) });
    expect(profile.statusCode).toBe(200);
  });

  it('when ten first logins with one identity race, then one account and one identity exist', async () => {
    const user = githubUser();
    const flows = await Promise.all(Array.from({ length: 10 }, () => b.start('github')));
    const results = await Promise.all(flows.map(({ url, cookie }) => b.callback('github', fake.approve(url, user), cookie)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const ids = new Set(await Promise.all(results.map(async (r) => (await b.profile(r)).id)));
    expect(ids.size).toBe(1);
    const db = t.container.backends.database.db;
    const identities = await db.selectFrom('user_identities').selectAll().where('provider', '=', 'github').where('subject', '=', String((user as { id: number }).id)).execute();
    expect(identities).toHaveLength(1);
    expect(Number(identities[0]!.user_id)).toBe([...ids][0]);
  });
});

describe('OAuth2 login when a provider is not configured or misconfigured', () => {
  const fake = new FakeOAuthServer();
  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => fake.close());

  it('when no provider is configured, then its routes answer 404 with a code', async () => {
    const t = await buildTestApp({ dialect: 'sqlite', cache: 'memory' });
    try {
      for (const url of ['/oauth2/wechat/authurl', '/oauth2/github/authurl', `/oauth2/github/callback?code=abc&state=${'a'.repeat(22)}`]) {
        const res = await t.app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(bodyOf(res).code).toBe(401202);
      }
    } finally {
      await t.close();
    }
  });

  it('when the provider refuses our client secret, then the callback is a 503 with its own code', async () => {
    const t = await buildTestApp(
      { dialect: 'sqlite', cache: 'memory' },
      oauthEnv(fake, { WEBOOK_OAUTH_GITHUB_CLIENT_SECRET: 'wrong', WEBOOK_OAUTH_WECHAT_APP_SECRET: 'wrong' }),
    );
    const b = browser(() => t);
    try {
      for (const provider of ['github', 'wechat'] as const) {
        const { url, cookie } = await b.start(provider);
        const user = provider === 'github' ? githubUser() : { openid: 'o-misconfigured' };
        const res = await b.callback(provider, fake.approve(url, user), cookie);
        expect(res.statusCode, provider).toBe(503);
        expect(bodyOf(res).code).toBe(501202);
        expect(t.logs.some((l) => l.code === 501202 && l.severity === 'P1')).toBe(true);
      }
    } finally {
      await t.close();
    }
  });
});
