import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ARTICLE_READ } from '../../src/modules/article/article.events.js';
import type { InteractiveService } from '../../src/modules/interactive/interactive.service.js';
import { countInParts, startReadCounter, READ_COUNTER_GROUP } from '../../src/modules/interactive/read-count.consumer.js';
import { stacks } from '../support/backends.js';
import { authed, buildTestApp, signup, type TestApp } from '../support/app.js';
import { publish } from '../support/articles.js';
import { eventually } from '../support/eventually.js';

const quiet = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OPTS = { batchSize: 5, batchWaitMs: 20, ackWaitMs: 1000, readsPerTransaction: 2000 };

/**
 * Every stack, and the embedded one once more on a SQLite file: there the reads are counted
 * on a thread of their own (ReadCountThread), with its own connection to the file.
 */
const counterStacks = [
  ...stacks.map((s) => ({ ...s, where: 'on the event loop', shareable: false })),
  { dialect: 'sqlite' as const, cache: 'memory' as const, where: 'on a thread of their own, SQLite file', shareable: true },
];

describe.each(counterStacks)('read counter on $dialect + $cache, $where', (stack) => {
  let t: TestApp;
  let service: InteractiveService;
  beforeEach(async () => {
    // The app's own consumer stays off: these tests run theirs.
    t = await buildTestApp(stack, { WEBOOK_CONSUMERS: 'false' }, { shareable: stack.shareable });
    service = t.container.interactive.service;
  });
  afterEach(async () => t.close());

  const readCnt = async (aid: number) => (await service.countersOf('article', [aid]))[0]!.readCnt;

  it('when the same events are counted twice, then the ledger counts them once', async () => {
    const events = [1, 2, 3].map((n) => ({ eventId: `e-${n}`, bizIds: [77, 78] }));
    expect(await service.countReads(READ_COUNTER_GROUP, 'article', events)).toBe(6);
    const again = [...events, { eventId: 'e-4', bizIds: [77] }, { eventId: 'e-4', bizIds: [77] }];
    expect(await service.countReads(READ_COUNTER_GROUP, 'article', again)).toBe(1);
    expect([await readCnt(77), await readCnt(78)]).toEqual([4, 3]);
  });

  it('when one event reads more articles than a statement can bind, then every read is counted', async () => {
    // 10,000 counter rows of seven bound values each: over what SQLite (32,766), MySQL and PostgreSQL (65,535) take at once.
    const ids = Array.from({ length: 10_000 }, (_, i) => 200_000 + i);
    expect(await service.countReads(READ_COUNTER_GROUP, 'article', [{ eventId: 'wide', bizIds: [...ids, ids[0]!] }])).toBe(10_001);
    const stored = await service.storedCountersOf('article', ids);
    expect(stored.size).toBe(10_000);
    expect(stored.get(ids[0]!)?.readCnt).toBe(2);
    expect([...stored.values()].reduce((n, c) => n + c.readCnt, 0)).toBe(10_001);
  });

  it('when articles are read different numbers of times across several statements, then each article gets its own count', async () => {
    // 613 articles: two full statements and a part one, each compiled once and filled with new values.
    const ids = Array.from({ length: 613 }, (_, i) => 250_000 + i);
    const event = (n: number) => ({ eventId: `uneven-${n}`, bizIds: ids.filter((_, i) => i % 5 >= n) });
    expect(await service.countReads(READ_COUNTER_GROUP, 'article', [0, 1, 2, 3, 4].map(event))).toBe(ids.reduce((n, _, i) => n + (i % 5) + 1, 0));
    const stored = await service.storedCountersOf('article', ids);
    expect(ids.map((id, i) => stored.get(id)?.readCnt === (i % 5) + 1).every(Boolean)).toBe(true);
    // Counted again with 251 rows: the full statement of the first run again, then a one-row one.
    await service.countReads(READ_COUNTER_GROUP, 'article', [{ eventId: 'uneven-again', bizIds: ids.slice(0, 251) }]);
    const again = await service.storedCountersOf('article', [ids[0]!, ids[250]!, ids[251]!]);
    expect([again.get(ids[0]!)?.readCnt, again.get(ids[250]!)?.readCnt, again.get(ids[251]!)?.readCnt]).toEqual([2, (250 % 5) + 2, (251 % 5) + 1]);
  });

  it('when a batch holds more reads than one transaction counts, then other work runs between its parts', async () => {
    const events = Array.from({ length: 6 }, (_, e) => ({ eventId: `part-${e}`, bizIds: Array.from({ length: 1000 }, (_, i) => 300_000 + e * 1000 + i) }));
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    // With the embedded SQLite every statement is synchronous: one transaction for the whole batch gives the loop no turn.
    const ranBeforeTheEnd = await countInParts(service, events, 2000).then(() => otherWorkRan);
    expect(ranBeforeTheEnd).toBe(true);
    expect([...(await service.storedCountersOf('article', events.flatMap((e) => e.bizIds))).values()].every((c) => c.readCnt === 1)).toBe(true);
  });

  it('when a batch is counted with no budget per transaction (server databases), then it is one transaction and each counter row is written once', async () => {
    // 60,000 reads of the same 500 articles: in parts of 50,000 they were two transactions, each writing all 500 rows.
    const events = Array.from({ length: 120 }, (_, e) => ({ eventId: `whole-${e}`, bizIds: Array.from({ length: 500 }, (_, i) => 400_000 + i) }));
    const transactions: number[] = [];
    const recording = {
      countReads: (...args: Parameters<InteractiveService['countReads']>) => (transactions.push(args[2].length), service.countReads(...args)),
    } as unknown as InteractiveService;
    expect(await countInParts(recording, events, Number.POSITIVE_INFINITY)).toBe(60_000);
    expect(transactions).toEqual([120]);
    const stored = await service.storedCountersOf('article', [400_000, 400_499]);
    expect([stored.get(400_000)?.readCnt, stored.get(400_499)?.readCnt]).toEqual([120, 120]);
  });

  it('when counting fails between two parts of a batch, then counting the batch again adds only what the first part did not', async () => {
    const events = Array.from({ length: 4 }, (_, e) => ({ eventId: `half-${e}`, bizIds: Array(500).fill(901) as number[] }));
    let calls = 0;
    const failingSecond = {
      countReads: (...args: Parameters<InteractiveService['countReads']>) => (++calls === 2 ? Promise.reject(new Error('lost the database')) : service.countReads(...args)),
    } as unknown as InteractiveService;
    await expect(countInParts(failingSecond, events, 1000)).rejects.toThrow('lost the database');
    expect(await readCnt(901)).toBe(1000);
    expect(await countInParts(service, events, 1000)).toBe(1000);
    expect(await readCnt(901)).toBe(2000);
  });

  it('when an event holds malformed reads, then the good ones count and the bad ones do not', async () => {
    const bus = t.shared.bus.bus;
    const consumer = await startReadCounter(bus, service, quiet, OPTS);
    try {
      await bus.publish(ARTICLE_READ, { aids: [601, -1, 'x', null, 601.5, 601], uids: [], ats: [] });
      await bus.publish(ARTICLE_READ, { aids: 'not a list', reads: null });
      await bus.publish(ARTICLE_READ, { nothing: true });
      await eventually(async () => expect(await readCnt(601)).toBe(2), 5000);
    } finally {
      await consumer.close();
    }
  });

  it('when events of the form before the columns ({ reads: [{ aid, uid, at }] }) are still in the stream, then they count the same', async () => {
    const bus = t.shared.bus.bus;
    const consumer = await startReadCounter(bus, service, quiet, OPTS);
    try {
      await bus.publish(ARTICLE_READ, { reads: [{ aid: 611, uid: 1, at: 1 }, { aid: -1 }, null, { aid: 611.5 }, { aid: 611, uid: 0, at: 2 }] });
      await bus.publish(ARTICLE_READ, { aids: [611], uids: [0], ats: [3] });
      await eventually(async () => expect(await readCnt(611)).toBe(3), 5000);
    } finally {
      await consumer.close();
    }
  });

  it('when a consumer dies after committing a batch but before acking it, then nothing is lost or counted twice', async () => {
    const bus = t.shared.bus.bus;
    let crashed = false;
    // Commits like the real one, then never returns: the process "dies" between commit and ack.
    const dying = {
      countReads: async (...args: Parameters<InteractiveService['countReads']>) => {
        await service.countReads(...args);
        crashed = true;
        return new Promise<number>(() => {});
      },
    } as unknown as InteractiveService;
    const first = await startReadCounter(bus, dying, quiet, OPTS);
    // 12 events of 3 reads each: 18 reads of 501, 18 of 502.
    for (let i = 0; i < 12; i++) {
      await bus.publish(ARTICLE_READ, { aids: [501, 502, 501 + (i % 2)], uids: [0, 0, 0], ats: [0, 0, 0].map(() => Date.now()) });
    }
    await eventually(() => expect(crashed).toBe(true), 5000);
    const countedBeforeCrash = (await readCnt(501)) + (await readCnt(502));
    expect(countedBeforeCrash).toBeGreaterThan(0);
    await first.close(0);

    const other = await t.shared.bus.another();
    const heir = await startReadCounter(other, service, quiet, OPTS);
    try {
      await eventually(async () => expect((await readCnt(501)) + (await readCnt(502))).toBe(36), 10_000);
      await sleep(300);
      expect([await readCnt(501), await readCnt(502)]).toEqual([18, 18]);
    } finally {
      await heir.close();
    }
  });
});

describe('read counting on a thread beside the embedded server', () => {
  let t: TestApp;
  let service: InteractiveService;
  beforeEach(async () => {
    t = await buildTestApp({ dialect: 'sqlite', cache: 'memory' }, { WEBOOK_CONSUMERS: 'false' }, { shareable: true });
    service = t.container.interactive.service;
  });
  afterEach(async () => t.close());

  it('when the thread counts while the server writes the same file, then neither side fails and every write lands', async () => {
    const owner = await signup(t.app, 'thread-owner@example.com');
    const aid = await publish(t.app, owner.access, 'Counted beside');
    const readers = await Promise.all(Array.from({ length: 20 }, (_, i) => signup(t.app, `thread-reader-${i}@example.com`)));
    // 40 events of 500 reads (20,000 counter rows in all) counted on the thread while 20 readers like the article on the server's connection.
    const events = Array.from({ length: 40 }, (_, e) => ({ eventId: `beside-${e}`, bizIds: Array.from({ length: 500 }, (_, i) => 400_000 + e * 500 + i) }));
    const [counted, likes] = await Promise.all([
      countInParts(service, events, 500),
      Promise.all(readers.map((r) => t.app.inject({ method: 'POST', url: '/articles/pub/like', headers: authed(r.access), payload: { id: aid, like: true } }))),
    ]);
    expect(counted).toBe(20_000);
    expect(likes.map((res) => res.statusCode)).toEqual(readers.map(() => 200));
    expect((await service.countersOf('article', [aid]))[0]!.likeCnt).toBe(20);
    const stored = await service.storedCountersOf('article', events.flatMap((e) => e.bizIds));
    expect(stored.size).toBe(20_000);
    expect([...stored.values()].every((c) => c.readCnt === 1)).toBe(true);
  });

  it('when the thread has been closed, then the next count starts a new one and the ledger still holds', async () => {
    expect(await service.countReads(READ_COUNTER_GROUP, 'article', [{ eventId: 'before-close', bizIds: [801] }])).toBe(1);
    await t.container.interactive.close();
    const again = [{ eventId: 'before-close', bizIds: [801] }, { eventId: 'after-close', bizIds: [801, 801] }];
    expect(await service.countReads(READ_COUNTER_GROUP, 'article', again)).toBe(2);
    expect((await service.countersOf('article', [801]))[0]!.readCnt).toBe(3);
  });

  it('when a counting transaction fails on the thread, then the count rejects with the database error, nothing of it is kept, and the next count works', async () => {
    // A target id SQLite stores as NULL (NaN binds as NULL) breaks the NOT NULL key of the counter row.
    const bad = [{ eventId: 'bad-1', bizIds: [701, Number.NaN] }];
    await expect(service.countReads(READ_COUNTER_GROUP, 'article', bad)).rejects.toThrow(/NOT NULL/);
    expect(await service.countReads(READ_COUNTER_GROUP, 'article', [{ eventId: 'good-1', bizIds: [701, 701] }])).toBe(2);
    expect((await service.countersOf('article', [701]))[0]!.readCnt).toBe(2);
  });
});
