import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** The app we registered at the fake providers: what a real one would check our requests against. */
export const FAKE_APP = {
  wechat: { appId: 'wx-test-app', secret: 'wechat-test-secret', redirectUrl: 'http://127.0.0.1/oauth2/wechat/callback' },
  github: { clientId: 'gh-test-client', secret: 'github-test-secret', redirectUrl: 'http://127.0.0.1/oauth2/github/callback' },
};

export type FakeUser = { openid: string; unionid?: string } | { id: number; login: string };

interface Grant {
  provider: 'wechat' | 'github';
  user: FakeUser;
  redirectUri: string;
  used: boolean;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

/**
 * WeChat's and GitHub's OAuth endpoints on one loopback server, checking what the real
 * ones check: our app id and secret, the grant type, the redirect URI the code was issued
 * for, single-use codes, the bearer token and (GitHub) a User-Agent. `mode` makes it fail
 * as a provider does: 5xx, or answers that are not JSON.
 */
export class FakeOAuthServer {
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, FakeUser>();
  private server!: Server;
  mode: 'ok' | 'error500' | 'garbage' = 'ok';
  /** Every request, as "METHOD path". */
  calls: string[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch(() => json(res, 500, { message: 'fake failed' }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** What the user's approval at the provider does: checks the authorize URL, issues a code, gives the callback URL. */
  approve(authorizeUrl: string, user: FakeUser): { code: string; state: string } {
    const url = new URL(authorizeUrl);
    const provider = url.pathname.includes('qrconnect') ? 'wechat' : 'github';
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    const clientOk =
      provider === 'wechat'
        ? url.searchParams.get('appid') === FAKE_APP.wechat.appId && url.searchParams.get('response_type') === 'code' && url.searchParams.get('scope') === 'snsapi_login'
        : url.searchParams.get('client_id') === FAKE_APP.github.clientId;
    if (!clientOk || redirectUri !== FAKE_APP[provider].redirectUrl) throw new Error(`the fake ${provider} refuses this authorize URL: ${authorizeUrl}`);
    const code = randomBytes(12).toString('hex');
    this.grants.set(code, { provider, user, redirectUri, used: false });
    return { code, state: url.searchParams.get('state') ?? '' };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.calls.push(`${req.method} ${url.pathname}`);
    if (this.mode === 'error500') return json(res, 502, { message: 'bad gateway' });
    if (this.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    if (req.method === 'GET' && url.pathname === '/sns/oauth2/access_token') return this.wechatToken(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') return this.githubToken(req, res);
    if (req.method === 'GET' && url.pathname === '/user') return this.githubUser(req, res);
    json(res, 404, { message: 'Not Found' });
  }

  /** A grant for this code, consumed; undefined when unknown, used, or of another provider. */
  private redeem(code: string | null, provider: Grant['provider']): Grant | undefined {
    const grant = code ? this.grants.get(code) : undefined;
    if (!grant || grant.used || grant.provider !== provider) return undefined;
    grant.used = true;
    return grant;
  }

  private issueToken(user: FakeUser): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, user);
    return token;
  }

  private wechatToken(q: URLSearchParams, res: ServerResponse): void {
    if (q.get('appid') !== FAKE_APP.wechat.appId) return json(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
    if (q.get('secret') !== FAKE_APP.wechat.secret) return json(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
    if (q.get('grant_type') !== 'authorization_code') return json(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
    const grant = this.redeem(q.get('code'), 'wechat');
    if (!grant) return json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
    const user = grant.user as { openid: string; unionid?: string };
    json(res, 200, { access_token: this.issueToken(user), expires_in: 7200, refresh_token: 'r', scope: 'snsapi_login', ...user });
  }

  private async githubToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    if (!String(req.headers.accept).includes('application/json')) return void res.writeHead(200).end('access_token=form-encoded-without-accept-json');
    if (form.get('client_id') !== FAKE_APP.github.clientId || form.get('client_secret') !== FAKE_APP.github.secret) {
      return json(res, 200, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
    }
    const grant = this.redeem(form.get('code'), 'github');
    if (!grant) return json(res, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    if (form.get('redirect_uri') !== grant.redirectUri) return json(res, 200, { error: 'redirect_uri_mismatch' });
    json(res, 200, { access_token: this.issueToken(grant.user), token_type: 'bearer', scope: 'read:user' });
  }

  private githubUser(req: IncomingMessage, res: ServerResponse): void {
    if (!req.headers['user-agent']) return json(res, 403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header' });
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization))?.[1];
    const user = token ? this.tokens.get(token) : undefined;
    if (!user) return json(res, 401, { message: 'Bad credentials' });
    json(res, 200, { ...user, name: null });
  }
}
