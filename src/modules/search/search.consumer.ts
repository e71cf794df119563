import type { EventBus } from '../../pkg/events/bus.js';
import { consumeEach, type Consumer } from '../../pkg/events/consumers.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { ARTICLE_PUBLISHED, ARTICLE_WITHDRAWN } from '../article/article.events.js';
import { USER_RENAMED } from '../user/user.events.js';
import type { SearchService } from './search.service.js';

/** The durable group of the indexer, on the article lifecycle topics and on user renames. */
export const SEARCH_INDEX_GROUP = 'search-index';

/**
 * Keeps the search index in step with publish, withdraw and republish-after-edit, and with
 * authors' renames (an article's row holds its author's words). The events only name the
 * article or the user: the handler re-reads the committed state and writes that
 * (SearchService.reindex), so redeliveries and out-of-order events all converge on the
 * latest state and no ledger is needed.
 */
export async function startSearchIndexer(bus: EventBus, search: SearchService, logger: Logger): Promise<Consumer[]> {
  type Message = { id: string; topic: string; payload: Record<string, unknown> | null };
  /** Runs `reindex` with the payload's id field; a malformed event is logged and skipped (a retry would not mend it). */
  const byId = (field: string, reindex: (id: number) => Promise<unknown>) => async (message: Message) => {
    const id = message.payload?.[field];
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
      logger.warn({ severity: 'P2', eventId: message.id, topic: message.topic }, `event without a valid ${field} ignored by the search indexer`);
      return;
    }
    await reindex(id);
  };
  const article = byId('id', (id) => search.reindex(id));
  const opts = { group: SEARCH_INDEX_GROUP, logger };
  return [
    await consumeEach<Record<string, unknown> | null>(bus, ARTICLE_PUBLISHED, article, opts),
    await consumeEach<Record<string, unknown> | null>(bus, ARTICLE_WITHDRAWN, article, opts),
    await consumeEach<Record<string, unknown> | null>(bus, USER_RENAMED, byId('uid', (uid) => search.reindexAuthor(uid)), opts),
  ];
}
