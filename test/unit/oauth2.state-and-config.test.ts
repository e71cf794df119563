import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env.js';
import { StateCookies, readCookie } from '../../src/modules/oauth2/oauth2.state.js';
import { withTokensInFragment } from '../../src/modules/oauth2/oauth2.web.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';

const base = {
  WEBOOK_MODE: 'production',
  WEBOOK_DB: 'sqlite::memory:',
  WEBOOK_JWT_ACCESS_SECRET: 'a'.repeat(40),
  WEBOOK_JWT_REFRESH_SECRET: 'b'.repeat(40),
};

describe('OAuth2 configuration', () => {
  it('when no provider variables are set, then both providers are off', () => {
    expect(loadConfig(base).login.oauth).toMatchObject({ wechat: null, github: null, successUrl: '/' });
  });

  it('when a provider has its id, secret and redirect URL, then it is on with the real endpoints by default', () => {
    const config = loadConfig({
      ...base,
      WEBOOK_OAUTH_WECHAT_APP_ID: 'wx1',
      WEBOOK_OAUTH_WECHAT_APP_SECRET: 's',
      WEBOOK_OAUTH_WECHAT_REDIRECT_URL: 'https://webook.example/oauth2/wechat/callback',
    });
    expect(config.login.oauth.wechat).toEqual({
      clientId: 'wx1',
      clientSecret: 's',
      redirectUrl: 'https://webook.example/oauth2/wechat/callback',
      authorizeUrl: 'https://open.weixin.qq.com/connect/qrconnect',
      tokenUrl: 'https://api.weixin.qq.com/sns/oauth2/access_token',
      apiUrl: 'https://api.weixin.qq.com',
    });
    expect(config.login.oauth.github).toBeNull();
  });

  it('when a provider is half configured, then start-up fails naming it', () => {
    const load = () => loadConfig({ ...base, WEBOOK_OAUTH_GITHUB_CLIENT_ID: 'id-without-secret' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/WEBOOK_OAUTH_GITHUB_\*/);
  });

  it('when a provider endpoint is not an http(s) URL, then start-up fails', () => {
    expect(() => loadConfig({ ...base, WEBOOK_OAUTH_GITHUB_TOKEN_URL: 'file:///etc/passwd' })).toThrow(ConfigError);
  });
});

describe('the OAuth2 state cookie', () => {
  const clock = new ManualClock(1_800_000_000_000);
  const cookies = new StateCookies({ key: Buffer.alloc(32, 7), clock, secure: false });

  it('when a cookie header holds several cookies, then the named one is found', () => {
    expect(readCookie('a=1; webook_oauth_github=xyz; b=2', 'webook_oauth_github')).toBe('xyz');
    expect(readCookie('webook_oauth_githubx=1', 'webook_oauth_github')).toBeUndefined();
    expect(readCookie(undefined, 'webook_oauth_github')).toBeUndefined();
  });

  it('when not in production, then the cookie is not marked Secure (plain-HTTP development still works)', () => {
    expect(cookies.issue('github').setCookie).toMatch(/HttpOnly; SameSite=Lax$/);
  });

  it('when the key differs, then a cookie signed with the other key is refused', () => {
    const { state, setCookie } = cookies.issue('github');
    const header = setCookie.split(';')[0];
    expect(cookies.check('github', header, state)).toBe(true);
    const other = new StateCookies({ key: Buffer.alloc(32, 8), clock, secure: false });
    expect(other.check('github', header, state)).toBe(false);
  });

  it('when the clearing cookie is built, then it expires the cookie at once on the same path', () => {
    expect(cookies.clear('wechat')).toBe('webook_oauth_wechat=; Path=/oauth2/wechat; Max-Age=0; HttpOnly; SameSite=Lax');
  });
});

describe('tokens handed to the UI', () => {
  it('when the success URL has its own fragment, then it is replaced by the tokens', () => {
    const url = withTokensInFragment('https://webook.example/app#old', { accessToken: 'a.b.c', refreshToken: 'd.e.f' });
    expect(url).toBe('https://webook.example/app#x-jwt-token=a.b.c&x-refresh-token=d.e.f');
  });
});
