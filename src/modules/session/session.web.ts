import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import { AppError } from '../../pkg/errors/app-error.js';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import { SessionCodes } from './session.errors.js';
import type { IssuedTokens, SessionService } from './session.service.js';
import type { AccessClaims } from './session.tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `requireAuth` pre-handler on routes that need a logged-in user. */
    auth: AccessClaims | null;
  }
}

export const ACCESS_HEADER = 'x-jwt-token';
export const REFRESH_HEADER = 'x-refresh-token';

const PREFIX = 'Bearer ';
const MAX_TOKEN = 4096;

/** The token of `Authorization: Bearer <token>`, else a 401. */
function bearer(request: FastifyRequest): string {
  const token = tokenOf(request.headers.authorization);
  if (token === undefined) throw new AppError(SessionCodes.missingToken);
  return token;
}

/** The token of an `Authorization: Bearer <token>` header, undefined for any other; its content is the verifier's business. */
function tokenOf(header: string | undefined): string | undefined {
  if (!header?.startsWith(PREFIX) || header.length > PREFIX.length + MAX_TOKEN || header.length === PREFIX.length) return undefined;
  return header.slice(PREFIX.length);
}

/** Login-style endpoints hand out tokens in response headers, as the original does. */
export function sendTokens(reply: FastifyReply, tokens: IssuedTokens): void {
  reply.header(ACCESS_HEADER, tokens.accessToken).header(REFRESH_HEADER, tokens.refreshToken);
}

/** Gives every request an `auth` slot (null until `requireAuth` fills it), app-wide. */
export function decorateAuth(app: FastifyInstance): void {
  app.decorateRequest('auth', null);
}

/** Pre-handler for routes that need a user: 401 unless the access token and its session are good. */
export function requireAuth(sessions: SessionService): preHandlerAsyncHookHandler {
  return async (request) => {
    request.auth = await sessions.authenticate(bearer(request), request.headers['user-agent']);
  };
}

/**
 * Pre-handler for routes open to everyone that say more to a logged-in user: no
 * Authorization header means anonymous; a header with a bad token is still a 401, so a
 * client learns its session died instead of silently seeing the anonymous page.
 */
export function optionalAuth(sessions: SessionService): preHandlerHookHandler {
  // Callback style: a reader whose session this process holds goes on without a promise
  // (the reader's article page, the hottest route, uses this hook).
  return (request, _reply, done) => {
    const header = request.headers.authorization;
    if (header === undefined) return done();
    const token = tokenOf(header);
    if (token === undefined) return done(new AppError(SessionCodes.missingToken));
    const userAgent = request.headers['user-agent'];
    const held = sessions.authenticateHeld(token, userAgent);
    if (held) {
      request.auth = held;
      return done();
    }
    sessions.authenticate(token, userAgent).then(
      (claims) => {
        request.auth = claims;
        done();
      },
      (err: Error) => done(err),
    );
  };
}

export const authOf = (request: FastifyRequest): AccessClaims => {
  if (!request.auth) throw new AppError(SessionCodes.missingToken); // a route forgot requireAuth
  return request.auth;
};

export const bearerSecurity = [{ bearerAuth: [] }];

/** POST /users/refresh_token and POST /users/logout. */
export function sessionRoutes(sessions: SessionService) {
  return async (app: FastifyInstance) => {
    const authed = requireAuth(sessions);

    app.post(
      '/users/refresh_token',
      {
        schema: {
          tags: ['users'],
          summary: 'Swap the refresh token (as Bearer) for a new token pair; the old one dies',
          security: [{ refreshAuth: [] }],
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request, reply) => {
        sendTokens(reply, await sessions.refresh(bearer(request), request.headers['user-agent']));
        return ok(null);
      },
    );

    app.post(
      '/users/logout',
      {
        preHandler: authed,
        schema: {
          tags: ['users'],
          summary: 'End this session: its access and refresh tokens stop working at once',
          security: bearerSecurity,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request) => {
        await sessions.end(authOf(request).ssid);
        return ok(null);
      },
    );
  };
}
