import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import { FollowBody, FollowListQuery, FollowPage, FollowStatsData, UserQuery } from './follow.schemas.js';
import type { FollowService } from './follow.service.js';

const DEFAULT_LIMIT = 20;

const paging = (query: { cursor?: string; limit?: string }) => ({
  cursor: query.cursor === undefined ? undefined : Number(query.cursor),
  limit: Number(query.limit ?? DEFAULT_LIMIT),
});

/** Follow and unfollow (logged in), and anyone's counts and lists. */
export function followRoutes(deps: { follows: FollowService; sessions: SessionModule }) {
  const { follows, sessions } = deps;
  const tags = ['follows'];

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const write = (follow: boolean) => ({
      preHandler: sessions.requireAuth,
      schema: {
        tags,
        summary: follow ? 'Follow a user; idempotent (no self-follow; an unknown user is 404)' : 'Stop following a user; idempotent',
        security: bearerSecurity,
        body: FollowBody,
        response: { 200: Envelope(NoData), ...errorResponses },
      },
    });

    app.post('/follows/follow', write(true), async (request) => {
      await follows.follow(authOf(request).uid, request.body.uid);
      return ok(null);
    });

    app.post('/follows/unfollow', write(false), async (request) => {
      await follows.unfollow(authOf(request).uid, request.body.uid);
      return ok(null);
    });

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

    const list = (which: 'followers' | 'followees') => ({
      schema: {
        tags,
        summary: which === 'followers' ? 'Who follows a user, newest follow first (cursor paging)' : 'Whom a user follows, newest follow first (cursor paging)',
        querystring: FollowListQuery,
        response: { 200: Envelope(FollowPage), ...errorResponses },
      },
    });

    app.get('/follows/followers', list('followers'), async (request) => {
      const { cursor, limit } = paging(request.query);
      return ok(await follows.followers(Number(request.query.uid), cursor, limit));
    });

    app.get('/follows/followees', list('followees'), async (request) => {
      const { cursor, limit } = paging(request.query);
      return ok(await follows.followees(Number(request.query.uid), cursor, limit));
    });
  };
}
