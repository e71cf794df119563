import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ArticleService } from '../article/article.service.js';
import type { SessionService } from '../session/session.service.js';
import { claimsOf, conduitRouteOptions, viewerOf } from './conduit.auth.js';
import type { ConduitComments } from './conduit.comments.js';
import { CommentData, CommentParam, CommentsData, NewCommentBody, NoContent, SlugParam, TagsData, errorResponses } from './conduit.schemas.js';

export interface ConduitCommentRoutesDeps {
  conduitComments: ConduitComments;
  articles: ArticleService;
  sessions: SessionService;
}

const tags = ['conduit'];
const TAG_LIST = 100;

/** Comments and tags of the Conduit API. */
export function conduitCommentRoutes(deps: ConduitCommentRoutesDeps) {
  const { conduitComments: comments } = deps;
  const { authed, open } = conduitRouteOptions(deps.sessions);

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/articles/:slug/comments',
      open('The top-level comments, newest first (at most 500)', { params: SlugParam, response: { 200: CommentsData, ...errorResponses } }),
      async (request) => ({ comments: await comments.list(request.params.slug, viewerOf(request)) }),
    );

    app.post(
      '/articles/:slug/comments',
      authed('Comment on an article', { params: SlugParam, body: NewCommentBody, response: { 201: CommentData, ...errorResponses } }),
      async (request, reply) => {
        reply.status(201);
        return { comment: await comments.add(claimsOf(request).uid, request.params.slug, request.body.comment.body) };
      },
    );

    app.delete(
      '/articles/:slug/comments/:id',
      authed('Delete your comment, or any under your article (with its replies)', { params: CommentParam, response: { 204: NoContent, ...errorResponses } }),
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
