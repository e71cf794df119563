import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Envelope, NoData, errorResponses, ok } from '../../pkg/http/envelope.js';
import type { SessionModule } from '../session/session.module.js';
import { authOf, bearerSecurity } from '../session/session.web.js';
import { CollectionData, CollectionIdBody, CreateCollectionBody, RenameCollectionBody } from './interactive.schemas.js';
import type { InteractiveService } from './interactive.service.js';

/** The logged-in user's collection folders. Someone else's folder id is a 404. */
export function collectionRoutes(deps: { interactive: InteractiveService; sessions: SessionModule }) {
  const { interactive, sessions } = deps;
  const common = { preHandler: sessions.requireAuth };
  const tags = ['collections'];

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/collections/create',
      {
        ...common,
        schema: { tags, summary: 'Make a collection folder (names are unique per user, at most 100 folders)', security: bearerSecurity, body: CreateCollectionBody, response: { 200: Envelope(Type.Object({ id: Type.Integer() })), ...errorResponses } },
      },
      async (request) => ok({ id: await interactive.createCollection(authOf(request).uid, request.body.name) }),
    );

    app.get(
      '/collections/list',
      {
        ...common,
        schema: { tags, summary: 'Your collection folders, oldest first, with their item counts', security: bearerSecurity, response: { 200: Envelope(Type.Array(CollectionData)), ...errorResponses } },
      },
      async (request) => ok(await interactive.collections(authOf(request).uid)),
    );

    app.post(
      '/collections/rename',
      {
        ...common,
        schema: { tags, summary: 'Rename one of your folders', security: bearerSecurity, body: RenameCollectionBody, response: { 200: Envelope(NoData), ...errorResponses } },
      },
      async (request) => {
        await interactive.renameCollection(authOf(request).uid, request.body.id, request.body.name);
        return ok(null);
      },
    );

    app.post(
      '/collections/delete',
      {
        ...common,
        schema: { tags, summary: 'Delete one of your folders and what is in it (the articles stay, uncollected)', security: bearerSecurity, body: CollectionIdBody, response: { 200: Envelope(NoData), ...errorResponses } },
      },
      async (request) => {
        await interactive.deleteCollection(authOf(request).uid, request.body.id);
        return ok(null);
      },
    );
  };
}
