import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import { CommentIdBody, CommentPage, CreateCommentBody, CreatedComment, LikeCommentBody, RepliesQuery, RootsQuery } from './comment.schemas.js';
import type { CommentService } from './comment.service.js';

const DEFAULT_LIMIT = 20;

/** cursor and limit from a query string (digits already checked by the schema). */
const paging = (query: { cursor?: string; limit?: string }) => ({
  cursor: query.cursor === undefined ? undefined : Number(query.cursor),
  limit: Number(query.limit ?? DEFAULT_LIMIT),
});

/** Comments under published articles: write, delete, list, like. */
export function commentRoutes(deps: { comments: CommentService; sessions: SessionModule }) {
  const { comments, sessions } = deps;
  const tags = ['comments'];

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/comments/create',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags,
          summary: 'Comment on a published article, or reply (parentId) to a comment under it',
          security: bearerSecurity,
          body: CreateCommentBody,
          response: { 200: Envelope(CreatedComment), ...errorResponses },
        },
      },
      async (request) => {
        const c = await comments.create(authOf(request).uid, request.body);
        return ok({ id: c.id, rootId: c.rootId, parentId: c.parentId, ctime: c.ctime });
      },
    );

    app.post(
      '/comments/delete',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags,
          summary: "Delete a comment and the replies beneath it (yours, or any under your article); deleted counts what went",
          security: bearerSecurity,
          body: CommentIdBody,
          response: { 200: Envelope(Type.Object({ deleted: Type.Integer() })), ...errorResponses },
        },
      },
      async (request) => ok({ deleted: await comments.delete(authOf(request).uid, request.body.id) }),
    );

    app.get(
      '/comments/list',
      {
        preHandler: sessions.optionalAuth,
        schema: {
          tags,
          summary: "An article's top-level comments, newest first, with reply counts (cursor paging)",
          security: [{}, ...bearerSecurity],
          querystring: RootsQuery,
          response: { 200: Envelope(CommentPage), ...errorResponses },
        },
      },
      async (request) => {
        const { cursor, limit } = paging(request.query);
        return ok(await comments.roots(Number(request.query.articleId), request.auth?.uid ?? 0, cursor, limit));
      },
    );

    app.get(
      '/comments/replies',
      {
        preHandler: sessions.optionalAuth,
        schema: {
          tags,
          summary: "A top-level comment's thread, oldest first (cursor paging)",
          security: [{}, ...bearerSecurity],
          querystring: RepliesQuery,
          response: { 200: Envelope(CommentPage), ...errorResponses },
        },
      },
      async (request) => {
        const { cursor, limit } = paging(request.query);
        return ok(await comments.replies(Number(request.query.rootId), request.auth?.uid ?? 0, cursor, limit));
      },
    );

    app.post(
      '/comments/like',
      {
        preHandler: sessions.requireAuth,
        schema: { tags, summary: 'Like (like: true) or unlike a comment; idempotent both ways', security: bearerSecurity, body: LikeCommentBody, response: { 200: Envelope(NoData), ...errorResponses } },
      },
      async (request) => {
        await comments.like(authOf(request).uid, request.body.id, request.body.like);
        return ok(null);
      },
    );
  };
}
