import type { EventBus } from '../../pkg/events/bus.js';
import { consumeEach, type Consumer } from '../../pkg/events/consumers.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { ARTICLE_PUBLISHED, ARTICLE_WITHDRAWN } from '../article/article.events.js';
import { USER_RENAMED } from '../user/user.events.js';
import type { SearchService } from './search.service.js';

/** The durable group of the indexer on both lifecycle topics. */
export const SEARCH_INDEX_GROUP = 'search-index';

/**
 * Keeps the search index in step with publish, withdraw and republish-after-edit, and with
 * authors' renames (an article's row holds its author's words). The events only name the
 * article or the user: the handler re-reads the committed state and writes that
 * (SearchService.reindex), so redeliveries and out-of-order events all converge on the
 * latest state and no ledger is needed.
 */
export async function startSearchIndexer(bus: EventBus, search: SearchService, logger: Logger): Promise<Consumer[]> {
  const handle = async (message: { id: string; payload: { id?: unknown } | null }) => {
    const id = message.payload?.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
      logger.warn({ severity: 'P2', eventId: message.id }, 'article event without a valid id ignored by the search indexer');
      return;
    }
    await search.reindex(id);
  };
  const renamed = async (message: { id: string; payload: { uid?: unknown } | null }) => {
    const uid = message.payload?.uid;
    if (typeof uid !== 'number' || !Number.isSafeInteger(uid) || uid < 1) {
      logger.warn({ severity: 'P2', eventId: message.id }, 'user.renamed without a valid uid ignored by the search indexer');
      return;
    }
    await search.reindexAuthor(uid);
  };
  const opts = { group: SEARCH_INDEX_GROUP, logger };
  return [
    await consumeEach<{ id?: unknown } | null>(bus, ARTICLE_PUBLISHED, handle, opts),
    await consumeEach<{ id?: unknown } | null>(bus, ARTICLE_WITHDRAWN, handle, opts),
    await consumeEach<{ uid?: unknown } | null>(bus, USER_RENAMED, renamed, opts),
  ];
}
