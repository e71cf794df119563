import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import { AuthorArticleData, ArticleSummaryData, DraftBody, IdBody, IdData, IdParam, ListBody } from './article.schemas.js';
import type { ArticleService } from './article.service.js';

/** The author's side: their own articles only; another author's id is a 404 and changes nothing. */
export function articleAuthorRoutes(deps: { articles: ArticleService; sessions: SessionModule }) {
  const { articles, sessions } = deps;
  const common = { preHandler: sessions.requireAuth };
  const tags = ['articles (author)'];

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/articles/edit',
      {
        ...common,
        schema: {
          tags,
          summary: 'Save a draft: a new article when id is absent or 0. A published article keeps its readers\' copy until published again.',
          security: bearerSecurity,
          body: DraftBody,
          response: { 200: Envelope(IdData), ...errorResponses },
        },
      },
      async (request) => ok({ id: await articles.save(authOf(request).uid, request.body) }),
    );

    app.post(
      '/articles/publish',
      {
        ...common,
        schema: {
          tags,
          summary: 'Save and publish in one step (also republishes a withdrawn article)',
          security: bearerSecurity,
          body: DraftBody,
          response: { 200: Envelope(IdData), ...errorResponses },
        },
      },
      async (request) => ok({ id: await articles.publish(authOf(request).uid, request.body) }),
    );

    app.post(
      '/articles/withdraw',
      {
        ...common,
        schema: {
          tags,
          summary: 'Make a published article private: readers get 404. 409 for an article never published.',
          security: bearerSecurity,
          body: IdBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request) => {
        await articles.withdraw(authOf(request).uid, request.body.id);
        return ok(null);
      },
    );

    app.post(
      '/articles/list',
      {
        ...common,
        schema: {
          tags,
          summary: 'The author\'s articles, last changed first; abstract = the first 128 characters',
          security: bearerSecurity,
          body: ListBody,
          response: { 200: Envelope(Type.Array(ArticleSummaryData)), ...errorResponses },
        },
      },
      async (request) => ok(await articles.listByAuthor(authOf(request).uid, request.body.offset, request.body.limit)),
    );

    app.get(
      '/articles/detail/:id',
      {
        ...common,
        schema: {
          tags,
          summary: 'The author\'s own copy of an article, drafts included',
          security: bearerSecurity,
          params: IdParam,
          response: { 200: Envelope(AuthorArticleData), ...errorResponses },
        },
      },
      async (request) => {
        const { authorId: _authorId, ...article } = await articles.detailForAuthor(authOf(request).uid, Number(request.params.id));
        return ok(article);
      },
    );
  };
}
