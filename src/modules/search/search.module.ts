import type { Platform } from '../platform.js';
import type { Consumer } from '../../pkg/events/consumers.js';
import type { ArticleModule } from '../article/article.module.js';
import type { UserModule } from '../user/user.module.js';
import { startSearchIndexer } from './search.consumer.js';
import { SearchCache } from './search.cache.js';
import { SearchDao } from './search.dao.js';
import { SearchService } from './search.service.js';
import { searchRoutes } from './search.web.js';

export interface SearchModuleDeps extends Platform {
  articles: ArticleModule;
  users: UserModule;
}

/** Full-text search: the service, its route, and the indexer that follows the article events. */
export function createSearchModule(deps: SearchModuleDeps) {
  const service = new SearchService(new SearchDao(deps.db, deps.dialect), new SearchCache(deps.cache), deps.articles.service, deps.users.service, deps.logger);
  return {
    service,
    routes: searchRoutes({ search: service }),
    /** Starts the indexer, and indexes in the background the published articles the index lacks. */
    startConsumers: async (): Promise<Consumer[]> => {
      const consumers = await startSearchIndexer(deps.bus, service, deps.logger);
      const stop = new AbortController();
      const catchingUp = service.catchUp(stop.signal).catch((err: unknown) => deps.logger.error({ severity: 'P1', err }, 'search index catch-up failed'));
      // Drained like a consumer: shutdown stops the catch-up between batches and waits for the batch in hand.
      const catchUp: Consumer = {
        close: async () => {
          stop.abort();
          await catchingUp;
        },
      };
      return [...consumers, catchUp];
    },
  };
}

export type SearchModule = ReturnType<typeof createSearchModule>;
