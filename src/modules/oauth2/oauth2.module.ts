import { createHmac } from 'node:crypto';
import type { LoginConfig } from '../../config/config.js';
import type { Clock } from '../../pkg/clock/clock.js';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import type { SessionModule } from '../session/session.module.js';
import type { UserModule } from '../user/user.module.js';
import { GithubProvider } from './github.provider.js';
import { StateCookies } from './oauth2.state.js';
import { oauthRoutes } from './oauth2.web.js';
import { WechatProvider } from './wechat.provider.js';

export interface OAuthModuleDeps {
  config: LoginConfig['oauth'];
  /** A server secret the state-cookie key is derived from (its own label, so the key is used for nothing else). */
  serverSecret: string;
  /** HTTPS-only cookies. */
  secureCookies: boolean;
  users: UserModule;
  sessions: SessionModule;
  limiter: RateLimiter;
  clock: Clock;
  authRule: RateRule;
}

/** OAuth2 login: the configured providers and their routes. */
export function createOAuthModule(deps: OAuthModuleDeps) {
  const key = createHmac('sha256', deps.serverSecret).update('webook oauth2 state cookie').digest();
  const providers = {
    wechat: deps.config.wechat && new WechatProvider(deps.config.wechat),
    github: deps.config.github && new GithubProvider(deps.config.github),
  };
  const routes = oauthRoutes({
    providers,
    states: new StateCookies({ key, clock: deps.clock, secure: deps.secureCookies }),
    users: deps.users,
    sessions: deps.sessions,
    limiter: deps.limiter,
    clock: deps.clock,
    authRule: deps.authRule,
    successUrl: deps.config.successUrl,
  });
  return { providers, routes };
}

export type OAuthModule = ReturnType<typeof createOAuthModule>;
