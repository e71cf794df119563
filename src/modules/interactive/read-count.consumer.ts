import type { EventBus } from '../../pkg/events/bus.js';
import { consumeBatches, type Consumer } from '../../pkg/events/consumers.js';
import type { EventMetrics } from '../../pkg/events/metrics.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { ARTICLE_READ, type ArticleReadBatch } from '../article/article.events.js';
import { Biz } from './interactive.domain.js';
import type { InteractiveService } from './interactive.service.js';

/** The durable group, and the name of its ledger in processed_events. */
export const READ_COUNTER_GROUP = 'interactive-read-count';

export interface ReadCounterOptions {
  batchSize: number;
  batchWaitMs: number;
  /** How long a batch may stay unacknowledged before the bus hands it to another member. */
  ackWaitMs?: number;
  metrics?: EventMetrics;
}

/**
 * Turns read events into counters: a batch of events (each a batch of reads) becomes one
 * transaction with one multi-row counter update (the seed's batch consumer over Kafka). Exactly-once in the
 * counters even though the bus delivers at least once: see InteractiveRepository.countReads.
 */
export function startReadCounter(bus: EventBus, interactive: InteractiveService, logger: Logger, opts: ReadCounterOptions): Promise<Consumer> {
  return consumeBatches<ArticleReadBatch>(
    bus,
    ARTICLE_READ,
    async (batch) => {
      const events = batch.map((m) => ({
        eventId: m.id,
        // A malformed read counts nothing; the rest of its event still counts.
        bizIds: (Array.isArray(m.payload?.reads) ? m.payload.reads : []).map((r) => r?.aid).filter((aid) => Number.isSafeInteger(aid) && aid > 0),
      }));
      await interactive.countReads(READ_COUNTER_GROUP, Biz.article, events);
    },
    { group: READ_COUNTER_GROUP, logger, ...opts },
  );
}
