import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { SessionService } from '../session/session.service.js';
import type { ConduitArticles } from './conduit.articles.js';
import { claimsOf, conduitAuth, viewerOf } from './conduit.auth.js';
import {
  ArticleData,
  ArticlesData,
  FeedQuery,
  NoContent,
  ListQuery,
  NewArticleBody,
  SlugParam,
  UpdateArticleBody,
  errorResponses,
  optionalTokenSecurity,
  paging,
  tokenSecurity,
} from './conduit.schemas.js';

export interface ConduitArticleRoutesDeps {
  conduitArticles: ConduitArticles;
  sessions: SessionService;
}

const tags = ['conduit'];

/** Articles and favorites of the Conduit API. */
export function conduitArticleRoutes(deps: ConduitArticleRoutesDeps) {
  const { conduitArticles: articles } = deps;
  const auth = conduitAuth(deps.sessions);
  const authed = { preHandler: auth.required, security: tokenSecurity };
  const open = { preHandler: auth.optional, security: optionalTokenSecurity };

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/articles',
      { preHandler: open.preHandler, schema: { tags, summary: 'Published articles, last published first; filters combine', security: open.security, querystring: ListQuery, response: { 200: ArticlesData, ...errorResponses } } },
      async (request) => articles.list({ ...request.query, ...paging(request.query) }, viewerOf(request)),
    );

    app.get(
      '/articles/feed',
      { preHandler: authed.preHandler, schema: { tags, summary: 'Articles by the authors you follow, last published first', security: authed.security, querystring: FeedQuery, response: { 200: ArticlesData, ...errorResponses } } },
      async (request) => articles.feed(claimsOf(request).uid, paging(request.query)),
    );

    app.post(
      '/articles',
      { preHandler: authed.preHandler, schema: { tags, summary: 'Write and publish an article', security: authed.security, body: NewArticleBody, response: { 201: ArticleData, ...errorResponses } } },
      async (request, reply) => {
        reply.status(201);
        return { article: await articles.create(claimsOf(request).uid, request.body.article) };
      },
    );

    app.get(
      '/articles/:slug',
      { preHandler: open.preHandler, schema: { tags, summary: 'A published article', security: open.security, params: SlugParam, response: { 200: ArticleData, ...errorResponses } } },
      async (request) => ({ article: await articles.get(request.params.slug, viewerOf(request)) }),
    );

    app.put(
      '/articles/:slug',
      { preHandler: authed.preHandler, schema: { tags, summary: 'Change your article (republished at once; the slug follows the title)', security: authed.security, params: SlugParam, body: UpdateArticleBody, response: { 200: ArticleData, ...errorResponses } } },
      async (request) => ({ article: await articles.update(claimsOf(request).uid, request.params.slug, request.body.article) }),
    );

    app.delete(
      '/articles/:slug',
      { preHandler: authed.preHandler, schema: { tags, summary: 'Delete your article (withdrawn: readers get 404)', security: authed.security, params: SlugParam, response: { 204: NoContent, ...errorResponses } } },
      async (request, reply) => {
        await articles.delete(claimsOf(request).uid, request.params.slug);
        return reply.status(204).send(null);
      },
    );

    const favorite = (yes: boolean) =>
      ({ preHandler: authed.preHandler, schema: { tags, summary: yes ? 'Favorite (like) an article; idempotent' : 'Unfavorite an article; idempotent', security: authed.security, params: SlugParam, response: { 200: ArticleData, ...errorResponses } } }) as const;
    app.post('/articles/:slug/favorite', favorite(true), async (request) => ({ article: await articles.favorite(claimsOf(request).uid, request.params.slug, true) }));
    app.delete('/articles/:slug/favorite', favorite(false), async (request) => ({ article: await articles.favorite(claimsOf(request).uid, request.params.slug, false) }));

  };
}
