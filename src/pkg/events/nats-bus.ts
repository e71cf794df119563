import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { assertTopic, type Delivery, type EventBus, type SubscribeOptions, type Subscription } from './bus.js';
import { superviseConsume } from './nats-subscription.js';

export interface NatsBusOptions {
  /** nats://host:port */
  url: string;
  /** The JetStream stream that stores every topic (created when missing). */
  stream: string;
  /** Subjects are `<prefix>.<topic>`; the stream captures `<prefix>.>`. */
  subjectPrefix: string;
  /** How long the stream keeps events (ms). */
  maxAgeMs?: number;
  /** Called on connection trouble (disconnect, reconnect, errors), for the logs. */
  onStatus?: (status: { type: string; data?: unknown }) => void;
  /**
   * How long one pull request waits on the server (ms, at least 1000). It also paces how
   * soon a subscriber notices that its consumer or stream was deleted; tests shorten it.
   */
  pullExpiresMs?: number;
}


const nanos = (ms: number) => ms * 1_000_000;
const encoder = new TextEncoder();

interface Connection {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

async function openConnection(opts: NatsBusOptions): Promise<Connection> {
  const nc = await connect({ servers: opts.url, name: 'webook', maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  if (opts.onStatus) {
    const onStatus = opts.onStatus;
    void (async () => {
      for await (const s of nc.status()) onStatus(s as { type: string; data?: unknown });
    })();
  }
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, opts);
  return { nc, js: jetstream(nc), jsm };
}

async function ensureStream(jsm: JetStreamManager, opts: NatsBusOptions): Promise<void> {
  const { stream, subjectPrefix, maxAgeMs = 7 * 24 * 3600_000 } = opts;
  try {
    await jsm.streams.info(stream);
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.StreamNotFound)) throw err;
    await jsm.streams.add({ name: stream, subjects: [`${subjectPrefix}.>`], max_age: nanos(maxAgeMs) });
  }
}

interface Envelope {
  id: string;
  publishedAt: number;
  payload: unknown;
}

/** Durable names may not hold dots or wildcards: one durable per (group, topic). */
const durableName = (group: string, topic: string) => `${group}__${topic}`.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * The NATS JetStream adapter of the bus port, for production. One stream stores every
 * topic; each (group, topic) is a durable pull consumer with explicit acks, so a group's
 * members share its messages and a member that dies unacked hands them on after the
 * ack wait. Publishing waits for the stream's acknowledgement and carries the event id
 * as `Nats-Msg-Id`, so the server drops a re-published duplicate.
 */
export class NatsBus implements EventBus {
  private readonly conn: Promise<Connection>;

  /** Connects in the background, so the composition root stays synchronous; `ping` awaits it. */
  constructor(private readonly opts: NatsBusOptions) {
    this.conn = openConnection(opts);
    this.conn.catch(() => {}); // reported by whoever awaits it (ping at start-up, publish)
  }

  async publish<T>(topic: string, payload: T, opts: { id?: string } = {}): Promise<void> {
    assertTopic(topic);
    const envelope: Envelope = { id: opts.id ?? randomUUID(), publishedAt: Date.now(), payload };
    const { js } = await this.conn;
    await js.publish(`${this.opts.subjectPrefix}.${topic}`, encoder.encode(JSON.stringify(envelope)), {
      msgID: envelope.id,
    });
  }

  async subscribe<T>(
    topic: string,
    group: string,
    onMessage: (delivery: Delivery<T>) => void,
    opts: SubscribeOptions,
  ): Promise<Subscription> {
    assertTopic(topic);
    const durable = durableName(group, topic);
    const { js, jsm } = await this.conn;
    return superviseConsume<T>({
      durable,
      open: async (resumeFrom) => {
        if (resumeFrom) await ensureStream(jsm, this.opts);
        await this.ensureConsumer(topic, durable, opts, resumeFrom);
        return js.consumers.get(this.opts.stream, durable);
      },
      consumeOptions: { max_messages: opts.maxInFlight, expires: this.opts.pullExpiresMs },
      toDelivery: (msg) => toDelivery<T>(msg, topic),
      onMessage,
      onStatus: this.opts.onStatus,
    });
  }

  /** Creates the durable consumer, or brings an existing one's limits in line. */
  private async ensureConsumer(topic: string, durable: string, opts: SubscribeOptions, resumeFrom?: Date): Promise<void> {
    const { jsm } = await this.conn;
    const limits = { ack_wait: nanos(opts.ackWaitMs), max_ack_pending: Math.max(1000, opts.maxInFlight * 10) };
    try {
      await jsm.consumers.info(this.opts.stream, durable);
      await jsm.consumers.update(this.opts.stream, durable, limits);
    } catch (err) {
      if (!isNotFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
      await jsm.consumers.add(this.opts.stream, {
        durable_name: durable,
        filter_subject: `${this.opts.subjectPrefix}.${topic}`,
        ack_policy: AckPolicy.Explicit,
        // A new group starts with the events published from now on, as in-process; a lost
        // consumer re-created under a running member picks up where that member was.
        ...(resumeFrom
          ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: resumeFrom.toISOString() }
          : { deliver_policy: DeliverPolicy.New }),
        ...limits,
      });
    }
  }

  async ping(): Promise<void> {
    const { nc } = await this.conn;
    await nc.flush();
  }

  async close(): Promise<void> {
    const conn = await this.conn.catch(() => undefined);
    await conn?.nc.drain().catch(() => conn.nc.close());
  }

  /** Tests: removes the stream and everything in it. */
  async deleteStream(): Promise<void> {
    const { jsm } = await this.conn;
    await jsm.streams.delete(this.opts.stream).catch(() => false);
  }
}

function isNotFound(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

function toDelivery<T>(msg: JsMsg, topic: string): Delivery<T> {
  const envelope = msg.json<Envelope>();
  if (typeof envelope?.id !== 'string') throw new Error('no event id');
  return {
    id: envelope.id,
    topic,
    payload: envelope.payload as T,
    publishedAt: envelope.publishedAt,
    deliveryCount: msg.info.deliveryCount,
    ack: () => msg.ack(),
    nak: (delayMs?: number) => msg.nak(delayMs),
  };
}
