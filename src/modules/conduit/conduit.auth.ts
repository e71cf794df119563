import type { FastifyRequest, FastifySchema, preHandlerAsyncHookHandler } from 'fastify';
import type { SessionService } from '../session/session.service.js';
import type { AccessClaims } from '../session/session.tokens.js';
import { ConduitError } from './conduit.domain.js';
import { optionalTokenSecurity, tokenSecurity } from './conduit.schemas.js';

const MAX_TOKEN = 4096;

/**
 * The token of `Authorization: Token <jwt>` (Conduit's scheme; `Bearer` is taken too). It
 * is a Webook access token, checked like any other: signature, expiry, user agent, live session.
 */
export function conduitToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (noToken(header)) throw new ConduitError(401, { token: ['is missing'] });
  const match = /^(?:Token|Bearer) (\S+)$/.exec(header!);
  if (!match || match[1]!.length > MAX_TOKEN) throw new ConduitError(401, { token: ['is invalid'] });
  return match[1]!;
}

/**
 * No header, or one that carries no token at all: some Conduit front ends always send
 * `Token ${token}`, which reads `Token null` or `Token undefined` before anyone logged in.
 * Open routes treat those as anonymous; a real but bad token is still a 401.
 */
function noToken(header: string | undefined): boolean {
  return header === undefined || /^\s*((Token|Bearer)\s*)?(null|undefined)?\s*$/.test(header);
}

/** Pre-handlers: `required` (401 without a good token) and `optional` (anonymous without a header; a bad token is still 401). */
function conduitAuth(sessions: SessionService): { required: preHandlerAsyncHookHandler; optional: preHandlerAsyncHookHandler } {
  const authenticate = async (request: FastifyRequest) => {
    request.auth = await sessions.authenticate(conduitToken(request), request.headers['user-agent']);
  };
  return {
    required: authenticate,
    optional: async (request) => {
      if (!noToken(request.headers.authorization)) await authenticate(request);
    },
  };
}

/** The signed-in user (after `required`), or 0 (after `optional`, anonymous). */
export const viewerOf = (request: FastifyRequest): number => request.auth?.uid ?? 0;

export function claimsOf(request: FastifyRequest): AccessClaims {
  if (!request.auth) throw new ConduitError(401, { token: ['is missing'] }); // a route forgot `required`
  return request.auth;
}

/** Who may call a route: its pre-handler, and the OpenAPI security that documents it. */
export interface ConduitAccess {
  preHandler: preHandlerAsyncHookHandler;
  security: typeof tokenSecurity;
}

/**
 * The options of a Conduit route: its access (`authed`: a good token; `open`: anyone, a
 * token makes it personal), its summary and its schema, tagged for the OpenAPI document.
 */
export function conduitRouteOptions(sessions: SessionService) {
  const auth = conduitAuth(sessions);
  const route =
    (access: ConduitAccess) =>
    <S extends FastifySchema>(summary: string, schema: S) => ({ preHandler: access.preHandler, schema: { tags: ['conduit'], summary, security: access.security, ...schema } });
  return {
    authed: route({ preHandler: auth.required, security: tokenSecurity }),
    open: route({ preHandler: auth.optional, security: optionalTokenSecurity }),
  };
}
