import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Envelope, errorResponses, ok } from '../../pkg/http/envelope.js';
import { RANKING_MAX } from './ranking.domain.js';
import type { RankingService } from './ranking.service.js';

export const DEFAULT_LIMIT = 100;

const RankingQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$', errorMessage: `must be an integer from 1 to ${RANKING_MAX}` })),
  },
  { additionalProperties: false },
);

const RankedArticleData = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  author: Type.Object({ id: Type.Integer(), name: Type.String() }),
  likeCnt: Type.Integer(),
  readCnt: Type.Integer(),
  collectCnt: Type.Integer(),
  score: Type.Number({ description: '(likeCnt - 1) / (hoursSincePublish + 2)^1.5, at computation time; never negative' }),
  ctime: Type.Integer({ description: 'first publication, epoch ms' }),
  utime: Type.Integer(),
});

/** GET /articles/ranking: the hot list, as the ranking job last computed it. */
export function rankingRoutes(deps: { ranking: RankingService }) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/articles/ranking',
      {
        schema: {
          tags: ['articles (reader)'],
          summary: `The hot list, hottest first (limit 1-${RANKING_MAX}, default ${DEFAULT_LIMIT}); recomputed by the ranking job, so it lags likes by up to one job interval`,
          querystring: RankingQuery,
          response: { 200: Envelope(Type.Array(RankedArticleData)), ...errorResponses },
        },
      },
      async (request) => ok(await deps.ranking.hot(Number(request.query.limit ?? DEFAULT_LIMIT))),
    );
  };
}
