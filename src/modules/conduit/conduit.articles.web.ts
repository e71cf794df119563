import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ArticleService } from '../article/article.service.js';
import type { SessionService } from '../session/session.service.js';
import type { ConduitArticles } from './conduit.articles.js';
import { claimsOf, conduitAuth, viewerOf } from './conduit.auth.js';
import type { ConduitComments } from './conduit.comments.js';
import {
  ArticleData,
  ArticlesData,
  CommentData,
  CommentParam,
  CommentsData,
  FeedQuery,
  NoContent,
  ListQuery,
  NewArticleBody,
  NewCommentBody,
  SlugParam,
  TagsData,
  UpdateArticleBody,
  errorResponses,
  optionalTokenSecurity,
  paging,
  tokenSecurity,
} from './conduit.schemas.js';

export interface ConduitArticleRoutesDeps {
  conduitArticles: ConduitArticles;
  conduitComments: ConduitComments;
  articles: ArticleService;
  sessions: SessionService;
}

const tags = ['conduit'];
const TAG_LIST = 100;

/** Articles, favorites, comments and tags of the Conduit API. */
export function conduitArticleRoutes(deps: ConduitArticleRoutesDeps) {
  const { conduitArticles: articles, conduitComments: comments } = deps;
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

    app.get(
      '/articles/:slug/comments',
      { preHandler: open.preHandler, schema: { tags, summary: 'The top-level comments, newest first (at most 500)', security: open.security, params: SlugParam, response: { 200: CommentsData, ...errorResponses } } },
      async (request) => ({ comments: await comments.list(request.params.slug, viewerOf(request)) }),
    );

    app.post(
      '/articles/:slug/comments',
      { preHandler: authed.preHandler, schema: { tags, summary: 'Comment on an article', security: authed.security, params: SlugParam, body: NewCommentBody, response: { 201: CommentData, ...errorResponses } } },
      async (request, reply) => {
        reply.status(201);
        return { comment: await comments.add(claimsOf(request).uid, request.params.slug, request.body.comment.body) };
      },
    );

    app.delete(
      '/articles/:slug/comments/:id',
      { preHandler: authed.preHandler, schema: { tags, summary: "Delete your comment, or any under your article (with its replies)", security: authed.security, params: CommentParam, response: { 204: NoContent, ...errorResponses } } },
      async (request, reply) => {
        await comments.delete(claimsOf(request).uid, request.params.slug, Number(request.params.id));
        return reply.status(204).send(null);
      },
    );

    app.get('/tags', { schema: { tags, summary: 'The most used tags of published articles (at most 100)', response: { 200: TagsData, ...errorResponses } } }, async () => ({
      tags: (await deps.articles.tags(TAG_LIST)).map((t) => t.name),
    }));
  };
}
