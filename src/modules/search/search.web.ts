import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Envelope, errorResponses, ok } from '../../pkg/http/envelope.js';
import { SearchQuery, SearchResultData } from './search.schemas.js';
import type { SearchService } from './search.service.js';

export function searchRoutes(deps: { search: SearchService }) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/search',
      {
        schema: {
          tags: ['search'],
          summary:
            'Published articles whose title, content, tags or author name contain every word of q (Chinese words included), ' +
            'most relevant first, then newest. Pass `next` back as `offset` for the following page.',
          querystring: SearchQuery,
          response: { 200: Envelope(SearchResultData), ...errorResponses },
        },
      },
      async (request) => {
        const { q, offset, limit } = request.query;
        return ok(await deps.search.search(q ?? '', Number(offset ?? 0), Number(limit ?? 20)));
      },
    );
  };
}
