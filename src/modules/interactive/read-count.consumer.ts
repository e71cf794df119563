import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventBus } from '../../pkg/events/bus.js';
import { consumeBatches, type Consumer } from '../../pkg/events/consumers.js';
import type { EventMetrics } from '../../pkg/events/metrics.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { ARTICLE_READ, readAids } from '../article/article.events.js';
import { Biz } from './interactive.domain.js';
import type { ReadRecord } from './interactive.domain.js';
import type { InteractiveService } from './interactive.service.js';

/** The durable group, and the name of its ledger in processed_events. */
export const READ_COUNTER_GROUP = 'interactive-read-count';

export interface ReadCounterOptions {
  batchSize: number;
  batchWaitMs: number;
  /** About how many reads one transaction counts (whole events; see countInParts); Infinity: a batch at once. */
  readsPerTransaction: number;
  /** How long a batch may stay unacknowledged before the bus hands it to another member. */
  ackWaitMs?: number;
  metrics?: EventMetrics;
}

/**
 * Turns read events into counters: a batch of events (each a batch of reads) becomes a few
 * transactions of multi-row counter updates (the seed's batch consumer over Kafka; see
 * countInParts). Exactly-once in the counters even though the bus delivers at least once:
 * see InteractiveRepository.countReads.
 */
export function startReadCounter(bus: EventBus, interactive: InteractiveService, logger: Logger, opts: ReadCounterOptions): Promise<Consumer> {
  return consumeBatches<unknown>(
    bus,
    ARTICLE_READ,
    async (batch) => {
      // A malformed read counts nothing; the rest of its event still counts.
      const events = batch.map((m) => ({ eventId: m.id, bizIds: readAids(m.payload) }));
      await countInParts(interactive, events, opts.readsPerTransaction);
    },
    { group: READ_COUNTER_GROUP, logger, ...opts },
  );
}

/**
 * Counts a batch in parts of about `readsPerTransaction` reads (an event is never split),
 * one transaction each, with a turn of the event loop between them. On SQLite a part holds
 * the file's write lock, which the server's own writes wait for, so a backlog of 500 events
 * is counted in many short transactions, not one of seconds (and an in-memory database,
 * which has no counting thread, runs them on the event loop). A server database locks rows,
 * not the file: there a batch is one part, so a counter row is written once per batch
 * (with parts of 50,000 reads, a batch of five busy seconds was three parts that each
 * wrote nearly every busy article's row, and mirrored it to the cache). A crash between parts leaves
 * whole events counted and in the ledger; the redelivered batch counts the rest.
 */
export async function countInParts(interactive: InteractiveService, events: ReadRecord[], readsPerTransaction: number): Promise<number> {
  let counted = 0;
  for (const [i, part] of partsOf(events, readsPerTransaction).entries()) {
    if (i > 0) await nextTurn();
    counted += await interactive.countReads(READ_COUNTER_GROUP, Biz.article, part);
  }
  return counted;
}

/** Consecutive events grouped while their reads fit in `budget`; an event bigger than it is a part alone. */
function partsOf(events: ReadRecord[], budget: number): ReadRecord[][] {
  const parts: ReadRecord[][] = [];
  let part: ReadRecord[] = [];
  let size = 0;
  for (const event of events) {
    if (part.length > 0 && size + event.bizIds.length > budget) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(event);
    size += event.bizIds.length;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
