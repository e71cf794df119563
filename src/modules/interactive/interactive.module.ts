import type { Platform } from '../platform.js';
import type { Consumer } from '../../pkg/events/consumers.js';
import type { SessionModule } from '../session/session.module.js';
import { CollectionDao } from './collection.dao.js';
import { InteractiveCache } from './interactive.cache.js';
import { InteractiveDao } from './interactive.dao.js';
import { likedPublisher } from './interactive.events.js';
import { InteractiveRepository } from './interactive.repository.js';
import { InteractiveService } from './interactive.service.js';
import { collectionRoutes } from './interactive.web.js';
import { startReadCounter, type ReadCounterOptions } from './read-count.consumer.js';
import { ReadCountThread } from './read-count.thread.js';

export interface InteractiveModuleDeps extends Platform {
  sessions: SessionModule;
  /** With `threadDbUrl` (an embedded SQLite file), reads are counted on a thread of their own (read-count.thread.ts). */
  readCounter: ReadCounterOptions & { threadDbUrl?: string };
}

/** What other modules may use of interactive: the service; the app gets routes and consumers. */
export function createInteractiveModule(deps: InteractiveModuleDeps) {
  const dao = new InteractiveDao(deps.db, deps.dialect);
  const thread = deps.readCounter.threadDbUrl === undefined ? undefined : new ReadCountThread(deps.readCounter.threadDbUrl);
  const repo = new InteractiveRepository(dao, new CollectionDao(deps.db, deps.dialect), new InteractiveCache(deps.cache), thread ?? dao);
  const service = new InteractiveService(repo, deps.clock, likedPublisher(deps.bus, deps.logger));
  return {
    service,
    routes: collectionRoutes({ interactive: service, sessions: deps.sessions }),
    /** Starts the read-count consumer; the caller closes what it gets back. */
    startConsumers: async (): Promise<Consumer[]> => [await startReadCounter(deps.bus, service, deps.logger, deps.readCounter)],
    /** After the consumers: ends the read-counting thread, if there is one. */
    close: async (): Promise<void> => thread?.close(),
  };
}

export type InteractiveModule = ReturnType<typeof createInteractiveModule>;
