import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import { FollowBody, FollowListQuery, FollowPage, FollowStatsData, UserQuery } from './follow.schemas.js';
import type { FollowService } from './follow.service.js';

interface Deps {
  follows: FollowService;
  sessions: SessionModule;
}

const DEFAULT_LIMIT = 20;
const tags = ['follows'];

const paging = (query: { cursor?: string; limit?: string }) => ({
  cursor: query.cursor === undefined ? undefined : Number(query.cursor),
  limit: Number(query.limit ?? DEFAULT_LIMIT),
});

/** Follow and unfollow (logged in), and anyone's counts and lists. */
export function followRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    writeRoutes(app, deps);
    readRoutes(app, deps);
  };
}

function writeRoutes(fastify: FastifyInstance, { follows, sessions }: Deps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const write = (summary: string) => ({
    preHandler: sessions.requireAuth,
    schema: { tags, summary, security: bearerSecurity, body: FollowBody, response: { 200: Envelope(NoData), ...errorResponses } },
  });

  app.post('/follows/follow', write('Follow a user; idempotent (no self-follow; an unknown user is 404)'), async (request) => {
    await follows.follow(authOf(request).uid, request.body.uid);
    return ok(null);
  });

  app.post('/follows/unfollow', write('Stop following a user; idempotent'), async (request) => {
    await follows.unfollow(authOf(request).uid, request.body.uid);
    return ok(null);
  });
}

function readRoutes(fastify: FastifyInstance, { follows, sessions }: Deps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/follows/stats',
    {
      preHandler: sessions.optionalAuth,
      schema: { tags, summary: "A user's follower and followee counts, and whether you follow them", security: [{}, ...bearerSecurity], querystring: UserQuery, response: { 200: Envelope(FollowStatsData), ...errorResponses } },
    },
    async (request) => {
      const uid = Number(request.query.uid);
      return ok({ uid, ...(await follows.stats(uid, request.auth?.uid ?? 0)) });
    },
  );

  const list = (summary: string) => ({ schema: { tags, summary, querystring: FollowListQuery, response: { 200: Envelope(FollowPage), ...errorResponses } } });

  app.get('/follows/followers', list('Who follows a user, newest follow first (cursor paging)'), async (request) => {
    const { cursor, limit } = paging(request.query);
    return ok(await follows.followers(Number(request.query.uid), cursor, limit));
  });

  app.get('/follows/followees', list('Whom a user follows, newest follow first (cursor paging)'), async (request) => {
    const { cursor, limit } = paging(request.query);
    return ok(await follows.followees(Number(request.query.uid), cursor, limit));
  });
}
