import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { deadLetterTopic, type BusMessage, type Delivery, type EventBus, type Subscription } from '../../src/pkg/events/bus.js';
import { consumeBatches, consumeEach, type Consumer } from '../../src/pkg/events/consumers.js';
import { busKinds, freshBus, type TestBus } from '../support/bus.js';
import { eventually } from '../support/eventually.js';

const quiet = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACK_WAIT = 800;

/** Collects what a subscriber receives; acks unless told otherwise. */
function collector<T>(autoAck = true) {
  const got: Delivery<T>[] = [];
  const onMessage = (d: Delivery<T>) => {
    got.push(d);
    if (autoAck) d.ack();
  };
  return { got, onMessage };
}

describe.each(busKinds)('event bus contract: %s', (kind) => {
  let t: TestBus;
  let bus: EventBus;
  const closers: (Subscription | Consumer)[] = [];
  const sub = async <T>(topic: string, group: string, onMessage: (d: Delivery<T>) => void, maxInFlight = 100) => {
    const s = await bus.subscribe<T>(topic, group, onMessage, { maxInFlight, ackWaitMs: ACK_WAIT });
    closers.push(s);
    return s;
  };

  beforeEach(async () => {
    t = await freshBus(kind);
    bus = t.bus;
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) await c.close(0);
    await t.close();
  });

  it('when an event is published, then every group gets it once with id, topic, payload and first delivery', async () => {
    const a = collector<{ n: number }>();
    const b = collector<{ n: number }>();
    await sub('article.read', 'counter', a.onMessage);
    await sub('article.read', 'ranking', b.onMessage);
    await bus.publish('article.read', { n: 1 }, { id: 'e-1' });
    await eventually(() => expect(a.got.length + b.got.length).toBe(2));
    for (const got of [a.got, b.got]) {
      expect(got[0]).toMatchObject({ id: 'e-1', topic: 'article.read', payload: { n: 1 }, deliveryCount: 1 });
      expect(got[0]!.publishedAt).toBeGreaterThan(0);
    }
    await sleep(100);
    expect(a.got).toHaveLength(1);
  });

  it('when a group has two members, then they share the events and none is delivered twice', async () => {
    const a = collector<number>();
    const b = collector<number>();
    await sub('article.read', 'g', a.onMessage);
    await sub('article.read', 'g', b.onMessage);
    await Promise.all(Array.from({ length: 40 }, (_, i) => bus.publish('article.read', i)));
    await eventually(() => expect(a.got.length + b.got.length).toBe(40));
    const all = [...a.got, ...b.got].map((d) => d.payload).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('when a delivery is nak-ed, then it comes again with a higher delivery count', async () => {
    const got: Delivery<string>[] = [];
    await sub<string>('t.nak', 'g', (d) => {
      got.push(d);
      if (d.deliveryCount === 1) d.nak(10);
      else d.ack();
    });
    await bus.publish('t.nak', 'x');
    await eventually(() => expect(got.map((d) => d.deliveryCount)).toEqual([1, 2]));
  });

  it('when a delivery is neither acked nor nak-ed, then it comes again after the ack wait', async () => {
    const got: Delivery<string>[] = [];
    await sub<string>('t.slow', 'g', (d) => {
      got.push(d);
      if (d.deliveryCount > 1) d.ack();
    });
    await bus.publish('t.slow', 'x');
    await eventually(() => expect(got.map((d) => d.deliveryCount)).toEqual([1, 2]), ACK_WAIT * 6);
  });

  it('when a member closes holding unacked events, then another member of its group gets them', async () => {
    const dying = collector<number>(false);
    const first = await sub('t.die', 'g', dying.onMessage);
    await Promise.all([1, 2, 3].map((n) => bus.publish('t.die', n)));
    await eventually(() => expect(dying.got).toHaveLength(3));
    await first.close();
    const other = await t.another();
    const heir = collector<number>();
    closers.push(await other.subscribe('t.die', 'g', heir.onMessage, { maxInFlight: 10, ackWaitMs: ACK_WAIT }));
    await eventually(() => expect(heir.got.map((d) => d.payload).sort()).toEqual([1, 2, 3]), ACK_WAIT * 6);
    expect(heir.got.every((d) => d.deliveryCount === 2)).toBe(true);
  });

  it('when the same event id is published twice, then it is delivered once', async () => {
    const c = collector<string>();
    await sub('t.dup', 'g', c.onMessage);
    await bus.publish('t.dup', 'once', { id: 'same' });
    await bus.publish('t.dup', 'twice', { id: 'same' });
    await bus.publish('t.dup', 'other', { id: 'different' });
    await eventually(() => expect(c.got).toHaveLength(2));
    await sleep(100);
    expect(c.got.map((d) => d.payload)).toEqual(['once', 'other']);
  });

  it('when a group is away, then it finds what was published meanwhile; a new group starts from now', async () => {
    const early = collector<string>();
    const s = await sub('t.away', 'kept', early.onMessage);
    await s.close();
    await bus.publish('t.away', 'while away');
    const back = collector<string>();
    const late = collector<string>();
    await sub('t.away', 'kept', back.onMessage);
    await sub('t.away', 'newcomer', late.onMessage);
    await eventually(() => expect(back.got.map((d) => d.payload)).toEqual(['while away']));
    await sleep(100);
    expect(late.got).toHaveLength(0);
  });

  it('when a topic name is not dotted lower-case words, then publish refuses it', async () => {
    await expect(bus.publish('Bad Topic', 1)).rejects.toThrow(/bad topic/);
    await expect(bus.publish('a..b', 1)).rejects.toThrow(/bad topic/);
  });

  it('when the bus answers, then ping resolves', async () => {
    await expect(bus.ping()).resolves.toBeUndefined();
  });

  describe('consumer helpers', () => {
    const opts = { logger: quiet, retryDelayMs: () => 10, ackWaitMs: ACK_WAIT };
    const track = <C extends Consumer>(c: C) => (closers.push(c), c);

    it('when batchSize events arrive, then they are handled as one batch without waiting', async () => {
      const batches: number[][] = [];
      track(await consumeBatches<number>(bus, 't.batch', async (ms) => void batches.push(ms.map((m) => m.payload)), { ...opts, group: 'g', batchSize: 5, batchWaitMs: 60_000 }));
      for (let i = 0; i < 10; i++) await bus.publish('t.batch', i);
      await eventually(() => expect(batches.flat()).toHaveLength(10));
      expect(batches.every((b) => b.length === 5)).toBe(true);
    });

    it('when fewer events arrive, then the batch is handled batchWaitMs after the first', async () => {
      const batches: number[][] = [];
      track(await consumeBatches<number>(bus, 't.wait', async (ms) => void batches.push(ms.map((m) => m.payload)), { ...opts, group: 'g', batchSize: 100, batchWaitMs: 150 }));
      const start = Date.now();
      await bus.publish('t.wait', 1);
      await bus.publish('t.wait', 2);
      await eventually(() => expect(batches).toEqual([[1, 2]]));
      expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    });

    it('when a consumer closes while it gathers a batch, then the batch is handled and acknowledged at once, and no other member gets it', async () => {
      const batches: number[][] = [];
      const gathering = await consumeBatches<number>(bus, 't.closing', async (ms) => void batches.push(ms.map((m) => m.payload)), { ...opts, group: 'g', batchSize: 100, batchWaitMs: 60_000 });
      for (let i = 0; i < 3; i++) await bus.publish('t.closing', i);
      await sleep(200); // delivered, and waiting for a batch that would fill in a minute
      expect(batches).toEqual([]);
      const started = Date.now();
      await gathering.close(5_000);
      expect(batches).toEqual([[0, 1, 2]]);
      expect(Date.now() - started).toBeLessThan(2_000);
      await sleep(100); // let the acks reach the bus
      const heir: number[] = [];
      const other = await t.another();
      track(await consumeBatches<number>(other, 't.closing', async (ms) => void heir.push(...ms.map((m) => m.payload)), { ...opts, group: 'g', batchSize: 1, batchWaitMs: 0 }));
      await sleep(ACK_WAIT * 3);
      expect(heir).toEqual([]);
    });

    it('when a handler keeps failing, then the event is tried maxDeliver times and parked on the dead-letter topic', async () => {
      const dead = collector<{ group: string; error: string; message: BusMessage<string> }>();
      await sub(deadLetterTopic('t.poison'), 'ops', dead.onMessage);
      let attempts = 0;
      track(await consumeEach<string>(bus, 't.poison', async () => {
        attempts++;
        throw new Error('cannot handle');
      }, { ...opts, group: 'g', maxDeliver: 3 }));
      await bus.publish('t.poison', 'bad', { id: 'p-1' });
      await eventually(() => expect(dead.got).toHaveLength(1), 5_000);
      expect(dead.got[0]!.payload).toMatchObject({ group: 'g', error: 'Error: cannot handle', message: { id: 'p-1', payload: 'bad', deliveryCount: 3 } });
      await sleep(ACK_WAIT + 200);
      expect(attempts).toBe(3);
    });

    it('when one event of a batch is poison, then the others are handled and only it is retried', async () => {
      const handled: number[] = [];
      const dead = collector<unknown>();
      await sub(deadLetterTopic('t.mixed'), 'ops', dead.onMessage);
      track(await consumeBatches<number>(bus, 't.mixed', async (ms) => {
        if (ms.some((m) => m.payload === 3)) throw new Error('three is poison');
        handled.push(...ms.map((m) => m.payload));
      }, { ...opts, group: 'g', batchSize: 5, batchWaitMs: 50, maxDeliver: 2 }));
      for (let i = 1; i <= 5; i++) await bus.publish('t.mixed', i);
      await eventually(() => expect(dead.got).toHaveLength(1), 5_000);
      expect(handled.sort()).toEqual([1, 2, 4, 5]);
    });

    it('when a consumer dies mid-batch, then a new one gets every unacknowledged event and none it acknowledged', async () => {
      const acked = new Set<number>();
      let block = true;
      const dying = await consumeBatches<number>(bus, 't.crash', async (ms) => {
        if (block && ms.some((m) => m.payload >= 5)) await new Promise(() => {}); // hangs: the process "dies" here
        for (const m of ms) acked.add(m.payload);
      }, { ...opts, group: 'g', batchSize: 5, batchWaitMs: 50 });
      for (let i = 0; i < 10; i++) await bus.publish('t.crash', i);
      await eventually(() => expect(acked.size).toBe(5));
      await sleep(100); // let the first batch's acks reach the bus
      await dying.close(0);
      block = false;
      const seenByHeir: number[] = [];
      const other = await t.another();
      track(await consumeBatches<number>(other, 't.crash', async (ms) => void seenByHeir.push(...ms.map((m) => m.payload)), { ...opts, group: 'g', batchSize: 5, batchWaitMs: 50 }));
      await eventually(() => expect(seenByHeir.sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9]), ACK_WAIT * 6);
    });
  });
});
