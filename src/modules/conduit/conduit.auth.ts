import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { SessionService } from '../session/session.service.js';
import type { AccessClaims } from '../session/session.tokens.js';
import { ConduitError } from './conduit.domain.js';

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
export function conduitAuth(sessions: SessionService): { required: preHandlerAsyncHookHandler; optional: preHandlerAsyncHookHandler } {
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
