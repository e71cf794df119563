import type { EventBus } from '../../pkg/events/bus.js';
import { consumeBatches, type Consumer } from '../../pkg/events/consumers.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { ARTICLE_READ, type ArticleReadEvent } from '../article/article.events.js';
import { Biz } from './interactive.domain.js';
import type { InteractiveService } from './interactive.service.js';

/** The durable group, and the name of its ledger in processed_events. */
export const READ_COUNTER_GROUP = 'interactive-read-count';

export interface ReadCounterOptions {
  batchSize: number;
  batchWaitMs: number;
  /** How long a batch may stay unacknowledged before the bus hands it to another member. */
  ackWaitMs?: number;
}

/**
 * Turns read events into counters: a batch of reads becomes one transaction with one
 * multi-row counter update (the seed's batch consumer over Kafka). Exactly-once in the
 * counters even though the bus delivers at least once: see InteractiveRepository.countReads.
 */
export function startReadCounter(bus: EventBus, interactive: InteractiveService, logger: Logger, opts: ReadCounterOptions): Promise<Consumer> {
  return consumeBatches<ArticleReadEvent>(
    bus,
    ARTICLE_READ,
    async (batch) => {
      const reads = batch
        .filter((m) => Number.isSafeInteger(m.payload?.aid) && m.payload.aid > 0) // a malformed event counts nothing
        .map((m) => ({ eventId: m.id, bizId: m.payload.aid }));
      await interactive.countReads(READ_COUNTER_GROUP, Biz.article, reads);
    },
    { group: READ_COUNTER_GROUP, logger, ...opts },
  );
}
