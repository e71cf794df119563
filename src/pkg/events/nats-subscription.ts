import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Delivery, Subscription } from './bus.js';

/** Notifications of the client's consume loop that mean our consumer or stream is gone. */
const LOST = new Set(['consumer_deleted', 'consumer_not_found', 'stream_not_found']);
const MAX_BACKOFF_MS = 30_000;

export interface SupervisedConsumeOptions<T> {
  durable: string;
  /** Gets the consumer to read from; `resumeFrom` is set when it has to be re-created. */
  open(resumeFrom?: Date): Promise<Consumer>;
  consumeOptions: { max_messages: number; expires?: number };
  toDelivery(msg: JsMsg): Delivery<T>;
  onMessage(delivery: Delivery<T>): void;
  onStatus?: (status: { type: string; data?: unknown }) => void;
}

/**
 * One member's consume loop on a durable consumer, kept alive. The client's own loop
 * survives its consumer (or the whole stream) being deleted, but only waits for them to come
 * back, and nobody else would bring them back. So when it reports them lost, this closes
 * that loop, re-creates what is missing and consumes again, resuming from the last event
 * this member saw (handlers are idempotent, so seeing it again is harmless) rather than
 * from "new", so what was published while the consumer was missing is still delivered.
 */
export async function superviseConsume<T>(opts: SupervisedConsumeOptions<T>): Promise<Subscription> {
  const stop = new AbortController();
  let resumeFrom = new Date();
  let current = await (await opts.open()).consume(opts.consumeOptions);

  /** Drains one consume loop; true when it ended because the consumer was lost. */
  const drain = async (messages: ConsumerMessages): Promise<boolean> => {
    let lost = false;
    void (async () => {
      for await (const note of messages.status()) {
        if (!LOST.has(note.type)) continue;
        lost = true;
        opts.onStatus?.({ type: 'consumer_lost', data: { durable: opts.durable, reason: note.type } });
        await messages.close();
        return;
      }
    })();
    for await (const msg of messages) {
      resumeFrom = msg.time;
      deliver(msg);
    }
    return lost;
  };

  const deliver = (msg: JsMsg) => {
    let delivery: Delivery<T>;
    try {
      delivery = opts.toDelivery(msg);
    } catch {
      msg.term('not a webook event'); // unreadable: redelivering cannot help
      return;
    }
    try {
      opts.onMessage(delivery);
    } catch {
      delivery.nak();
    }
  };

  /**
   * Re-creates what is missing and consumes again, retrying with backoff until closed. It
   * waits a moment first: a stream being deleted loses its consumers one by one, and a
   * consumer re-created at once can be swept away by the same deletion.
   */
  const reopen = async (): Promise<ConsumerMessages | undefined> => {
    for (let failures = 0; ; failures++) {
      const waited = await sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures), true, { signal: stop.signal }).catch(() => false);
      if (!waited) return undefined;
      try {
        const messages = await (await opts.open(resumeFrom)).consume(opts.consumeOptions);
        opts.onStatus?.({ type: 'consumer_restored', data: { durable: opts.durable } });
        return messages;
      } catch (err) {
        opts.onStatus?.({ type: 'error', data: err });
      }
    }
  };

  const loop = (async () => {
    for (;;) {
      if (!(await drain(current)) || stop.signal.aborted) return;
      const next = await reopen();
      if (!next) return;
      current = next;
    }
  })().catch((err: unknown) => {
    // The iterator fails only on a closed connection: say so loudly instead of an unhandled
    // rejection; its messages wait on the server for the next member.
    opts.onStatus?.({ type: 'error', data: err });
  });

  return {
    close: async () => {
      stop.abort();
      await current.close();
      await loop;
    },
  };
}
