import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Envelope, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { InteractiveService } from '../interactive/interactive.service.js';
import type { UserService } from '../user/user.service.js';
import { PublishedSummaryData, TagCountData, TaggedQuery, TagsQuery } from './article.schemas.js';
import type { ArticleService } from './article.service.js';
import { publishedSummaries } from './article.summaries.js';

/** Tags of published articles, and the articles of one tag (readers' side, no login). */
export function articleTagRoutes(deps: { articles: ArticleService; interactive: InteractiveService; users: UserService }) {
  const { articles } = deps;
  const tags = ['articles (reader)'];

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/tags',
      {
        schema: {
          tags,
          summary: 'Tags of published articles with how many each has, most used first (limit: default 50)',
          querystring: TagsQuery,
          response: { 200: Envelope(Type.Array(TagCountData)), ...errorResponses },
        },
      },
      async (request) => ok(await articles.tags(Number(request.query.limit ?? 50))),
    );

    app.get(
      '/articles/pub/tagged',
      {
        schema: {
          tags,
          summary: 'Published articles with a tag, last published first; pass `next` back as `cursor` for the following page',
          querystring: TaggedQuery,
          response: {
            200: Envelope(Type.Object({ list: Type.Array(PublishedSummaryData), next: Type.Union([Type.String(), Type.Null()]) })),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { tag, cursor, limit } = request.query;
        const page = await articles.tagged(tag, cursor, Number(limit ?? 20));
        return ok({ list: await publishedSummaries(page.list, deps), next: page.next });
      },
    );
  };
}
