import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import { CommentIdBody, CommentPage, CreateCommentBody, CreatedComment, LikeCommentBody, RepliesQuery, RootsQuery } from './comment.schemas.js';
import type { CommentService } from './comment.service.js';

interface Deps {
  comments: CommentService;
  sessions: SessionModule;
}

const DEFAULT_LIMIT = 20;
const tags = ['comments'];

/** cursor and limit from a query string (digits already checked by the schema). */
const paging = (query: { cursor?: string; limit?: string }) => ({
  cursor: query.cursor === undefined ? undefined : Number(query.cursor),
  limit: Number(query.limit ?? DEFAULT_LIMIT),
});

/** Comments under published articles: write, delete and like (logged in); list (anyone). */
export function commentRoutes(deps: Deps) {
  return async (app: FastifyInstance) => {
    writeRoutes(app, deps);
    readRoutes(app, deps);
  };
}

function writeRoutes(fastify: FastifyInstance, { comments, sessions }: Deps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const write = { preHandler: sessions.requireAuth };
  const schema = { tags, security: bearerSecurity };

  app.post(
    '/comments/create',
    { ...write, schema: { ...schema, summary: 'Comment on a published article, or reply (parentId) to a comment under it', body: CreateCommentBody, response: { 200: Envelope(CreatedComment), ...errorResponses } } },
    async (request) => {
      const c = await comments.create(authOf(request).uid, request.body);
      return ok({ id: c.id, rootId: c.rootId, parentId: c.parentId, ctime: c.ctime });
    },
  );

  app.post(
    '/comments/delete',
    {
      ...write,
      schema: { ...schema, summary: 'Delete a comment and the replies beneath it (yours, or any under your article); deleted counts what went', body: CommentIdBody, response: { 200: Envelope(Type.Object({ deleted: Type.Integer() })), ...errorResponses } },
    },
    async (request) => ok({ deleted: await comments.delete(authOf(request).uid, request.body.id) }),
  );

  app.post(
    '/comments/like',
    { ...write, schema: { ...schema, summary: 'Like (like: true) or unlike a comment; idempotent both ways', body: LikeCommentBody, response: { 200: Envelope(NoData), ...errorResponses } } },
    async (request) => {
      await comments.like(authOf(request).uid, request.body.id, request.body.like);
      return ok(null);
    },
  );
}

function readRoutes(fastify: FastifyInstance, { comments, sessions }: Deps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Open to everyone; a token, if sent, must be valid and fills `liked`.
  const read = { preHandler: sessions.optionalAuth };
  const schema = { tags, security: [{}, ...bearerSecurity], response: { 200: Envelope(CommentPage), ...errorResponses } };

  app.get('/comments/list', { ...read, schema: { ...schema, summary: "An article's top-level comments, newest first, with reply counts (cursor paging)", querystring: RootsQuery } }, async (request) => {
    const { cursor, limit } = paging(request.query);
    return ok(await comments.roots(Number(request.query.articleId), request.auth?.uid ?? 0, cursor, limit));
  });

  app.get('/comments/replies', { ...read, schema: { ...schema, summary: "A top-level comment's thread, oldest first (cursor paging)", querystring: RepliesQuery } }, async (request) => {
    const { cursor, limit } = paging(request.query);
    return ok(await comments.replies(Number(request.query.rootId), request.auth?.uid ?? 0, cursor, limit));
  });
}
