import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Cache } from '../../pkg/cache/cache.js';
import type { Clock } from '../../pkg/clock/clock.js';
import type { Dialect } from '../../pkg/db/dialect.js';
import type { EventBus } from '../../pkg/events/bus.js';
import type { Consumer } from '../../pkg/events/consumers.js';
import type { Logger } from '../../pkg/logger/logger.js';
import type { SessionModule } from '../session/session.module.js';
import { CollectionDao } from './collection.dao.js';
import { InteractiveCache } from './interactive.cache.js';
import { InteractiveDao } from './interactive.dao.js';
import { InteractiveRepository } from './interactive.repository.js';
import { InteractiveService } from './interactive.service.js';
import { collectionRoutes } from './interactive.web.js';
import { startReadCounter, type ReadCounterOptions } from './read-count.consumer.js';

export interface InteractiveModuleDeps {
  db: Kysely<DB>;
  dialect: Dialect;
  cache: Cache;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  sessions: SessionModule;
  readCounter: ReadCounterOptions;
}

/** What other modules may use of interactive: the service; the app gets routes and consumers. */
export function createInteractiveModule(deps: InteractiveModuleDeps) {
  const repo = new InteractiveRepository(new InteractiveDao(deps.db, deps.dialect), new CollectionDao(deps.db, deps.dialect), new InteractiveCache(deps.cache));
  const service = new InteractiveService(repo, deps.clock);
  return {
    service,
    routes: collectionRoutes({ interactive: service, sessions: deps.sessions }),
    /** Starts the read-count consumer; the caller closes what it gets back. */
    startConsumers: async (): Promise<Consumer[]> => [await startReadCounter(deps.bus, service, deps.logger, deps.readCounter)],
  };
}

export type InteractiveModule = ReturnType<typeof createInteractiveModule>;
