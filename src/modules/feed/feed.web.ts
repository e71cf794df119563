import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Envelope, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import { decodeCursor, type FeedKind } from './feed.domain.js';
import { FeedPage, FeedQuery } from './feed.schemas.js';
import type { FeedService } from './feed.service.js';

const DEFAULT_LIMIT = 20;

/** GET /feed: the logged-in user's feed. */
export function feedRoutes(deps: { feed: FeedService; sessions: SessionModule }) {
  const { feed, sessions } = deps;
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/feed',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags: ['feed'],
          summary: 'Your feed, newest first: articles of people you follow, likes and comments on your content, new followers (cursor paging; kind narrows it)',
          security: bearerSecurity,
          querystring: FeedQuery,
          response: { 200: Envelope(FeedPage), ...errorResponses },
        },
      },
      async (request) => {
        const { cursor, limit, kind } = request.query;
        const page = await feed.read(authOf(request).uid, cursor ? decodeCursor(cursor) : undefined, Number(limit ?? DEFAULT_LIMIT), kind ? [kind as FeedKind] : undefined);
        return ok(page);
      },
    );
  };
}
