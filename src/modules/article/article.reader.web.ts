import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import { Biz } from '../interactive/interactive.domain.js';
import type { InteractiveService } from '../interactive/interactive.service.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import type { UserService } from '../user/user.service.js';
import { LIST_MAX, abstractOf } from './article.domain.js';
import { readerPage } from './article.render.js';
import { publishedSummaries } from './article.summaries.js';
import { CollectBody, CollectedArticleData, IdBody, IdParam, LikeBody, PagingQuery, PublishedArticleData, PublishedSummaryData } from './article.schemas.js';
import type { ArticleService } from './article.service.js';

export interface ArticleReaderDeps {
  articles: ArticleService;
  interactive: InteractiveService;
  users: UserService;
  sessions: SessionModule;
}

/** offset and limit from a query string (digits already checked by the schema); limit 20 by default. */
const paging = (query: { offset?: string; limit?: string }) => ({
  offset: Number(query.offset ?? 0),
  limit: Math.min(Math.max(Number(query.limit ?? 20), 1), LIST_MAX),
});

/** The readers' side: published articles, likes and collections of them. */
export function articleReaderRoutes(deps: ArticleReaderDeps) {
  const { articles, interactive, users, sessions } = deps;
  const tags = ['articles (reader)'];

  const readerPageAsync = async (id: number, uid: number) => {
    const page = await articles.publishedPage(id);
    const [authorName, view] = await Promise.all([users.displayName(page.authorId), interactive.view(Biz.article, id, uid)]);
    articles.recordRead(id, uid);
    return readerPage(page, authorName, view);
  };

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/articles/pub/newest',
      {
        schema: {
          tags,
          summary: 'The newest published articles (last published first), with their authors and counters',
          querystring: PagingQuery,
          response: { 200: Envelope(Type.Array(PublishedSummaryData)), ...errorResponses },
        },
      },
      async (request) => {
        const { offset, limit } = paging(request.query);
        return ok(await publishedSummaries(await articles.newest(offset, limit), { interactive, users }));
      },
    );

    app.get(
      '/articles/pub/:id',
      {
        preHandler: sessions.optionalAuth,
        schema: {
          tags,
          summary: 'A published article with its counters; liked / collected are for the logged-in reader (false when anonymous)',
          security: [{}, ...bearerSecurity],
          params: IdParam,
          response: { 200: Envelope(PublishedArticleData), ...errorResponses },
        },
      },
      (request, reply) => {
        const id = Number(request.params.id);
        const uid = request.auth?.uid ?? 0;
        // Already JSON in UTF-8 (the schema above documents it): the cached article is sent without re-serialising.
        reply.type('application/json; charset=utf-8');
        // Usually every part is held in this process (Cache.held): the page is built
        // without a promise. Otherwise the same page the async way.
        const page = articles.heldPage(id);
        const authorName = page && users.heldDisplayName(page.authorId);
        const view = authorName === undefined ? undefined : interactive.heldView(Biz.article, id, uid);
        if (!page || authorName === undefined || !view) return readerPageAsync(id, uid);
        articles.recordRead(id, uid);
        return readerPage(page, authorName, view);
      },
    );

    app.post(
      '/articles/pub/like',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags,
          summary: 'Like (like: true) or unlike a published article; idempotent both ways',
          security: bearerSecurity,
          body: LikeBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request) => {
        const { id, like } = request.body;
        if (like) await articles.published(id); // 404 for what readers cannot see; unliking always works
        await interactive.like(authOf(request).uid, Biz.article, id, like);
        return ok(null);
      },
    );

    app.post(
      '/articles/pub/collect',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags,
          summary: 'Put a published article in one of your collections (cid); if it is in another one it moves',
          security: bearerSecurity,
          body: CollectBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request) => {
        await articles.published(request.body.id);
        await interactive.collect(authOf(request).uid, Biz.article, request.body.id, request.body.cid);
        return ok(null);
      },
    );

    app.post(
      '/articles/pub/uncollect',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags,
          summary: 'Take an article out of your collections; idempotent',
          security: bearerSecurity,
          body: IdBody,
          response: { 200: Envelope(NoData), ...errorResponses },
        },
      },
      async (request) => {
        await interactive.uncollect(authOf(request).uid, Biz.article, request.body.id);
        return ok(null);
      },
    );

    app.get(
      '/collections/:id/articles',
      {
        preHandler: sessions.requireAuth,
        schema: {
          tags: ['collections'],
          summary: 'The published articles in one of your collections, last collected first (withdrawn ones are left out)',
          security: bearerSecurity,
          params: IdParam,
          querystring: PagingQuery,
          response: { 200: Envelope(Type.Array(CollectedArticleData)), ...errorResponses },
        },
      },
      async (request) => {
        const { offset, limit } = paging(request.query);
        const items = await interactive.collectionItems(authOf(request).uid, Number(request.params.id), Biz.article, offset, limit);
        const found = await articles.publishedMany(items.map((i) => i.bizId));
        const rows = await Promise.all(
          items
            .filter((i) => found.has(i.bizId))
            .map(async (i) => {
              const a = found.get(i.bizId)!;
              return { id: a.id, title: a.title, abstract: abstractOf(a.content), author: { id: a.authorId, name: await users.displayName(a.authorId) }, collectedAt: i.ctime };
            }),
        );
        return ok(rows);
      },
    );
  };
}
