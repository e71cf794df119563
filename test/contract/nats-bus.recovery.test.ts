import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery, Subscription } from '../../src/pkg/events/bus.js';
import { NatsBus } from '../../src/pkg/events/nats-bus.js';
import { busKinds } from '../support/bus.js';
import { eventually } from '../support/eventually.js';

/**
 * NATS only: what the in-process bus cannot suffer. A consumer or a whole stream deleted
 * under a running subscriber (an operator's mistake, a stream recreated by hand) must not
 * leave that subscriber waiting forever.
 */
const natsUrl = process.env.WEBOOK_TEST_NATS_URL;
const onNats = busKinds.includes('nats');

describe.skipIf(!onNats)('NATS bus recovery', () => {
  let bus: NatsBus;
  let admin: NatsConnection;
  let sub: Subscription;
  const statuses: string[] = [];
  const tag = () => `wbt_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let names: { stream: string; subjectPrefix: string };

  beforeEach(async () => {
    statuses.length = 0;
    const t = tag();
    names = { stream: t.toUpperCase(), subjectPrefix: t };
    bus = new NatsBus({ url: natsUrl!, ...names, pullExpiresMs: 1000, onStatus: (s) => { statuses.push(s.type); if (process.env.DEBUG_NATS) console.log(Date.now() % 100000, s.type, JSON.stringify(s.data ?? null)?.slice(0, 200)); } });
    await bus.ping();
    admin = await connect({ servers: natsUrl! });
  });
  afterEach(async () => {
    await sub?.close();
    await bus.deleteStream();
    await bus.close();
    await admin.close();
  });

  /**
   * The server may refuse a delete that races the consumer's own state write ("directory not
   * empty"): try again until it is gone.
   */
  const deleteConsumer = async (stream: string, durable: string) => {
    const jsm = await jetstreamManager(admin);
    await eventually(async () => {
      const gone = await jsm.consumers.delete(stream, durable).catch((err: Error) => {
        if (/not found/i.test(err.message)) return true;
        throw err;
      });
      expect(gone).toBe(true);
    }, 5000);
  };

  const received = () => {
    const ids = new Set<string>();
    const onMessage = (d: Delivery<unknown>) => {
      ids.add(d.id);
      d.ack();
    };
    return { ids, onMessage };
  };

  it('when its consumer is deleted, then the subscriber re-creates it and gets the events published meanwhile', async () => {
    const got = received();
    sub = await bus.subscribe('article.read', 'counter', got.onMessage, { maxInFlight: 10, ackWaitMs: 1000 });
    await bus.publish('article.read', {}, { id: 'before' });
    await eventually(() => expect(got.ids.has('before')).toBe(true));

    await deleteConsumer(names.stream, 'counter__article_read');
    await bus.publish('article.read', {}, { id: 'while-missing' });

    await eventually(() => expect(statuses).toContain('consumer_restored'), 15_000);
    await bus.publish('article.read', {}, { id: 'after' });
    await eventually(() => expect([...got.ids]).toEqual(expect.arrayContaining(['while-missing', 'after'])), 15_000);
  }, 40_000);

  it('when the whole stream is deleted, then the stream and consumer come back and new events flow again', async () => {
    const got = received();
    sub = await bus.subscribe('article.read', 'counter', got.onMessage, { maxInFlight: 10, ackWaitMs: 1000 });
    const jsm = await jetstreamManager(admin);
    await jsm.streams.delete(names.stream);

    await eventually(() => expect(statuses).toContain('consumer_restored'), 15_000);
    // A publish racing the server's own clean-up of the old stream can be lost with it (the
    // stream's events are gone anyway): keep publishing until one comes through.
    let n = 0;
    await eventually(async () => {
      await bus.publish('article.read', {}, { id: `after-stream-loss-${++n}` });
      await new Promise((r) => setTimeout(r, 200));
      expect([...got.ids].some((id) => id.startsWith('after-stream-loss'))).toBe(true);
    }, 15_000);
  }, 40_000);
});
