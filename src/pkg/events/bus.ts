/**
 * The event bus port (the seed's `interface/event` over Kafka). Two adapters hold to it,
 * proven alike by one contract suite: in-process for the embedded default and NATS
 * JetStream in production.
 *
 * Delivery is at least once. Every subscriber belongs to a durable group: each message
 * of a topic goes to one member of every group, and a message not acknowledged in time
 * (the member died, or said `nak`) goes out again, to this member or another. Handlers
 * must therefore be idempotent; `id` is the key to make them so. Redelivery limits and
 * the dead-letter topic live in the consumer helpers (consumers.ts), not here, so that
 * both adapters share them.
 */
export interface BusMessage<T = unknown> {
  /** Unique per event; a second publish with the same id (within a few minutes) is dropped. */
  id: string;
  topic: string;
  payload: T;
  /** Epoch ms when the event was published. */
  publishedAt: number;
  /** 1 on the first delivery, 2 on the first redelivery, ... */
  deliveryCount: number;
}

export interface Delivery<T = unknown> extends BusMessage<T> {
  /** Done with it: it will not come back to this group. */
  ack(): void;
  /** Not done: deliver it again after delayMs (0 = now). */
  nak(delayMs?: number): void;
}

export interface SubscribeOptions {
  /** Unacknowledged messages a member holds at most; more wait on the bus. */
  maxInFlight: number;
  /** A delivery not acked or nak'ed within this time is given out again. */
  ackWaitMs: number;
}

export interface Subscription {
  /**
   * Stops receiving. Messages delivered but not yet acked go back to the group (at once
   * in-process; after ackWaitMs on NATS), exactly as if this member had died.
   */
  close(): Promise<void>;
}

export interface EventBus {
  /** Resolves once the bus has taken the event (on NATS: stored by the stream). */
  publish<T>(topic: string, payload: T, opts?: { id?: string }): Promise<void>;
  subscribe<T>(
    topic: string,
    group: string,
    onMessage: (delivery: Delivery<T>) => void,
    opts: SubscribeOptions,
  ): Promise<Subscription>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Topic names: lower-case words joined by dots, e.g. `article.read`. */
export const TOPIC_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;

export function assertTopic(topic: string): void {
  if (!TOPIC_PATTERN.test(topic)) throw new Error(`bad topic name: ${topic}`);
}

/** Where a consumer helper parks a message it gave up on, with the reason. */
export const deadLetterTopic = (topic: string) => `dlq.${topic}`;
