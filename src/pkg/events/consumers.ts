import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../logger/logger.js';
import { deadLetterTopic, type BusMessage, type Delivery, type EventBus } from './bus.js';
import { noEventMetrics, type EventMetrics } from './metrics.js';

/**
 * Consumer helpers over the bus port (the seed's samarax, which does the same over Kafka):
 * one handler per message, or one per batch flushed at `batchSize` messages or
 * `batchWaitMs` after the first, whichever comes first. Both ack only after the handler
 * resolved, retry a failure with growing delays, and after `maxDeliver` attempts park the
 * message on `dlq.<topic>` so one poison event never blocks the rest.
 */
export interface ConsumerOptions {
  /** The durable group: every group gets every event once; members of one share them. */
  group: string;
  logger: Logger;
  /** Attempts before a message goes to the dead-letter topic (default 5). */
  maxDeliver?: number;
  /** Delay before attempt n + 1 (default 200 ms doubling to 10 s). */
  retryDelayMs?: (attempt: number) => number;
  /** Time a member may hold a message unacked before the bus hands it to another (default 30 s). */
  ackWaitMs?: number;
  metrics?: EventMetrics;
}

export interface BatchOptions extends ConsumerOptions {
  batchSize: number;
  batchWaitMs: number;
}

export interface Consumer {
  /**
   * Stops taking messages, hands the batch being gathered to the handler at once (it would
   * otherwise wait for its timer), and waits up to graceMs for the batches in hand. Messages
   * that arrive meanwhile go back to the group unacked. After the grace, a late handler's
   * result is not acknowledged, exactly as if the process had died.
   */
  close(graceMs?: number): Promise<void>;
}

export type MessageHandler<T> = (message: BusMessage<T>) => Promise<void>;
export type BatchHandler<T> = (messages: BusMessage<T>[]) => Promise<void>;

const defaultDelay = (attempt: number) => Math.min(10_000, 200 * 2 ** (attempt - 1));

export function consumeEach<T>(bus: EventBus, topic: string, handler: MessageHandler<T>, opts: ConsumerOptions): Promise<Consumer> {
  return consumeBatches<T>(bus, topic, (batch) => handler(batch[0]!), { ...opts, batchSize: 1, batchWaitMs: 0 });
}

export async function consumeBatches<T>(bus: EventBus, topic: string, handler: BatchHandler<T>, opts: BatchOptions): Promise<Consumer> {
  const { group, logger, maxDeliver = 5, retryDelayMs = defaultDelay, ackWaitMs = 30_000, batchSize, batchWaitMs, metrics = noEventMetrics } = opts;
  let buffer: Delivery<T>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  /** Closing: no message is taken any more. Closed: past the grace, nothing is settled any more. */
  let closing = false;
  let closed = false;

  /** A failed message: again later, or to the dead letters once it has had its tries. */
  const giveBack = async (delivery: Delivery<T>, err: unknown) => {
    if (delivery.deliveryCount < maxDeliver) {
      logger.warn({ severity: 'P2', err, topic, group, eventId: delivery.id, attempt: delivery.deliveryCount }, 'event handler failed, will retry');
      delivery.nak(retryDelayMs(delivery.deliveryCount));
      metrics.settled(topic, group, 'retried', 1);
      return;
    }
    try {
      const { ack: _a, nak: _n, ...message } = delivery;
      await bus.publish(deadLetterTopic(topic), { group, error: String(err), message }, { id: `${group}:${delivery.id}` });
      logger.error({ severity: 'P1', err, topic, group, eventId: delivery.id }, 'event moved to the dead-letter topic');
      if (!closed) delivery.ack();
      metrics.settled(topic, group, 'dead_lettered', 1);
    } catch (dlqErr) {
      logger.error({ severity: 'P1', err: dlqErr, topic, group, eventId: delivery.id }, 'dead-letter publish failed, will retry');
      delivery.nak(retryDelayMs(delivery.deliveryCount));
    }
  };

  const settle = async (deliveries: Delivery<T>[], err: unknown) => {
    if (closed) return; // past the grace: behave as a dead process, say nothing
    if (err === undefined) {
      for (const d of deliveries) d.ack();
      metrics.settled(topic, group, 'acked', deliveries.length);
    } else {
      for (const d of deliveries) await giveBack(d, err);
    }
  };

  const handle = async (batch: Delivery<T>[]) => {
    const started = performance.now();
    const err = await handler(batch).then(() => undefined, (e: unknown) => e ?? new Error('handler failed'));
    metrics.batchSeconds(topic, group, (performance.now() - started) / 1000);
    if (err === undefined || batch.length === 1) return settle(batch, err);
    // One bad event must not hold back its batch: retry them one by one, so only it is retried.
    for (const delivery of batch) {
      const single = await handler([delivery]).then(() => undefined, (e: unknown) => e ?? new Error('handler failed'));
      await settle([delivery], single);
    }
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    running = running
      .then(() => handle(batch))
      .catch((err: unknown) => logger.error({ severity: 'P1', err, topic, group }, 'event batch could not be settled'));
  };

  const subscription = await bus.subscribe<T>(
    topic,
    group,
    (delivery) => {
      if (closing) return; // left unacked: the bus gives it out again
      buffer.push(delivery);
      if (buffer.length >= batchSize) flush();
      else if (!timer) timer = setTimeout(flush, batchWaitMs);
    },
    // Room for the batch being handled and the next one filling up.
    { maxInFlight: batchSize * 2, ackWaitMs },
  );

  return {
    close: async (graceMs = 10_000) => {
      await nextTurn(); // what was just published reaches us first (the in-process bus delivers on the next turn)
      closing = true;
      // Counted now, within the grace: on the in-process bus nobody would take them after
      // this process, and on NATS they would wait out the ack wait before another member could.
      flush();
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, graceMs)));
      await Promise.race([running, grace]);
      clearTimeout(graceTimer);
      closed = true;
      await subscription.close();
    },
  };
}
