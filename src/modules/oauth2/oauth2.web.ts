import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import { enforce } from '../../pkg/http/rate-limit.js';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import type { IssuedTokens } from '../session/session.service.js';
import type { SessionModule } from '../session/session.module.js';
import { ACCESS_HEADER, REFRESH_HEADER, sendTokens } from '../session/session.web.js';
import type { UserModule } from '../user/user.module.js';
import { UserCodes } from '../user/user.errors.js';
import { OAuthCodes } from './oauth2.errors.js';
import type { OAuthProvider, ProviderName } from './oauth2.provider.js';
import { AuthUrlData, CallbackQuery } from './oauth2.schemas.js';
import type { StateCookies } from './oauth2.state.js';

export interface OAuthRoutesDeps {
  /** null: not configured; its routes answer 404 (401202). */
  providers: Record<ProviderName, OAuthProvider | null>;
  states: StateCookies;
  users: UserModule;
  sessions: SessionModule;
  limiter: RateLimiter;
  clock: Clock;
  authRule: RateRule;
  /** Where a browser lands after logging in, with the tokens in the URL fragment. */
  successUrl: string;
}

/**
 * The tokens handed to the UI in the fragment: a fragment is never sent to a server, so
 * it stays out of access logs and Referer headers; the page reads it and clears it.
 */
export const withTokensInFragment = (url: string, tokens: IssuedTokens): string =>
  `${url.split('#')[0]}#${new URLSearchParams({ [ACCESS_HEADER]: tokens.accessToken, [REFRESH_HEADER]: tokens.refreshToken }).toString()}`;

/** A browser navigating (not a script calling the API) asks for HTML first. */
const isBrowserNavigation = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** GET /oauth2/<provider>/authurl and GET /oauth2/<provider>/callback for WeChat and GitHub. */
export function oauthRoutes(deps: OAuthRoutesDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    for (const name of ['wechat', 'github'] as const) {
      authUrlRoute(app, name, deps);
      callbackRoute(app, name, deps);
    }
  };
}

function configured(deps: OAuthRoutesDeps, name: ProviderName): OAuthProvider {
  const provider = deps.providers[name];
  if (!provider) throw new AppError(OAuthCodes.notConfigured);
  return provider;
}

function authUrlRoute(app: TypedApp, name: ProviderName, deps: OAuthRoutesDeps): void {
  app.get(
    `/oauth2/${name}/authurl`,
    {
      schema: {
        tags: ['oauth2'],
        summary: `The ${name} authorize URL; its state is bound to this browser by a signed cookie (10 minutes)`,
        response: { 200: Envelope(AuthUrlData), ...errorResponses },
      },
    },
    async (_request, reply) => {
      const provider = configured(deps, name);
      const { state, setCookie } = deps.states.issue(name);
      reply.header('set-cookie', setCookie).header('cache-control', 'no-store');
      return ok({ url: provider.authorizeUrl(state) });
    },
  );
}

function callbackRoute(app: TypedApp, name: ProviderName, deps: OAuthRoutesDeps): void {
  const limitByIp = async (request: FastifyRequest, reply: FastifyReply) =>
    enforce(deps.limiter, deps.clock, reply, `oauth:${request.ip}`, deps.authRule, UserCodes.authLimited);
  app.get(
    `/oauth2/${name}/callback`,
    {
      onRequest: limitByIp,
      schema: {
        tags: ['oauth2'],
        summary: `Where ${name} sends the browser back: logs in (creating the account the first time). Tokens in x-jwt-token / x-refresh-token; a browser is redirected to the UI with them in the URL fragment`,
        querystring: CallbackQuery,
        response: { 200: Envelope(NoData), ...errorResponses },
      },
    },
    async (request, reply) => {
      const provider = configured(deps, name);
      // A state serves one callback, whatever its outcome.
      reply.header('set-cookie', deps.states.clear(name)).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (!deps.states.check(name, request.headers.cookie, request.query.state)) throw new AppError(OAuthCodes.stateMismatch);
      const { subject } = await provider.identify(request.query.code);
      const user = await deps.users.service.findOrCreateByIdentity({ provider: name, subject });
      const tokens = await deps.sessions.service.start(user.id, request.headers['user-agent']);
      sendTokens(reply, tokens);
      if (isBrowserNavigation(request)) return reply.redirect(withTokensInFragment(deps.successUrl, tokens), 302);
      return ok(null);
    },
  );
}
