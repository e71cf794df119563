import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { SessionService } from '../session/session.service.js';
import type { ConduitArticles } from './conduit.articles.js';
import { claimsOf, conduitRouteOptions, viewerOf } from './conduit.auth.js';
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
  paging,
} from './conduit.schemas.js';

export interface ConduitArticleRoutesDeps {
  conduitArticles: ConduitArticles;
  sessions: SessionService;
}

/** Articles and favorites of the Conduit API. */
export function conduitArticleRoutes(deps: ConduitArticleRoutesDeps) {
  const { conduitArticles: articles } = deps;
  const { authed, open } = conduitRouteOptions(deps.sessions);

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/articles',
      open('Published articles, last published first; filters combine', { querystring: ListQuery, response: { 200: ArticlesData, ...errorResponses } }),
      async (request) => articles.list({ ...request.query, ...paging(request.query) }, viewerOf(request)),
    );

    app.get(
      '/articles/feed',
      authed('Articles by the authors you follow, last published first', { querystring: FeedQuery, response: { 200: ArticlesData, ...errorResponses } }),
      async (request) => articles.feed(claimsOf(request).uid, paging(request.query)),
    );

    app.post(
      '/articles',
      authed('Write and publish an article', { body: NewArticleBody, response: { 201: ArticleData, ...errorResponses } }),
      async (request, reply) => {
        reply.status(201);
        return { article: await articles.create(claimsOf(request).uid, request.body.article) };
      },
    );

    app.get(
      '/articles/:slug',
      open('A published article', { params: SlugParam, response: { 200: ArticleData, ...errorResponses } }),
      async (request) => ({ article: await articles.get(request.params.slug, viewerOf(request)) }),
    );

    app.put(
      '/articles/:slug',
      authed('Change your article (republished at once; the slug follows the title)', { params: SlugParam, body: UpdateArticleBody, response: { 200: ArticleData, ...errorResponses } }),
      async (request) => ({ article: await articles.update(claimsOf(request).uid, request.params.slug, request.body.article) }),
    );

    app.delete(
      '/articles/:slug',
      authed('Delete your article (withdrawn: readers get 404)', { params: SlugParam, response: { 204: NoContent, ...errorResponses } }),
      async (request, reply) => {
        await articles.delete(claimsOf(request).uid, request.params.slug);
        return reply.status(204).send(null);
      },
    );

    const favorite = (yes: boolean) =>
      authed(yes ? 'Favorite (like) an article; idempotent' : 'Unfavorite an article; idempotent', { params: SlugParam, response: { 200: ArticleData, ...errorResponses } });
    app.post('/articles/:slug/favorite', favorite(true), async (request) => ({ article: await articles.favorite(claimsOf(request).uid, request.params.slug, true) }));
    app.delete('/articles/:slug/favorite', favorite(false), async (request) => ({ article: await articles.favorite(claimsOf(request).uid, request.params.slug, false) }));

  };
}
