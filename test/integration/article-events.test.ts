import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ARTICLE_PUBLISHED, ARTICLE_WITHDRAWN } from '../../src/modules/article/article.events.js';
import type { BusMessage, EventBus } from '../../src/pkg/events/bus.js';
import { consumeEach, type Consumer } from '../../src/pkg/events/consumers.js';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post } from '../support/articles.js';
import { eventually } from '../support/eventually.js';

const quiet = pino({ level: 'silent' });

describe.each(stacks)('article lifecycle events on $dialect + $cache', (stack) => {
  let t: TestApp;
  let ada: { token: string; uid: number };
  let bob: { token: string; uid: number };
  const seen: BusMessage<Record<string, unknown>>[] = [];
  const observers: Consumer[] = [];
  let bus: EventBus;
  let realPublish: EventBus['publish'];

  beforeAll(async () => {
    t = await buildTestApp(stack);
    ada = await newUser(t.app, 'Ada');
    bob = await newUser(t.app, 'Bob');
    bus = t.shared.bus.bus;
    realPublish = bus.publish.bind(bus);
    const record = async (m: BusMessage<Record<string, unknown>>) => void seen.push(m);
    for (const topic of [ARTICLE_PUBLISHED, ARTICLE_WITHDRAWN]) observers.push(await consumeEach(bus, topic, record, { group: 'test-observer', logger: quiet }));
  });
  afterAll(async () => {
    bus.publish = realPublish;
    for (const o of observers) await o.close();
    await t.close();
  });

  const eventsOf = (id: number) => seen.filter((m) => m.payload.id === id);
  const pending = () => t.container.outbox.pending();

  it('when an article is published, withdrawn and republished, then each step is one event with a stable id and its payload', async () => {
    t.clock.advance(1000);
    const first = t.clock.now();
    const res = await post(t.app, '/articles/publish', ada.token, { title: 'Evented', content: 'x' });
    const id = bodyOf(res).data.id as number;
    t.clock.advance(1000);
    const withdrawnAt = t.clock.now();
    await post(t.app, '/articles/withdraw', ada.token, { id });
    t.clock.advance(1000);
    expect((await post(t.app, '/articles/withdraw', ada.token, { id })).statusCode).toBe(200); // a repeat: no second event
    t.clock.advance(1000);
    const again = t.clock.now();
    await post(t.app, '/articles/publish', ada.token, { id, title: 'Evented again', content: 'y' });

    await eventually(() => expect(eventsOf(id)).toHaveLength(3), 5000);
    const byTopic = eventsOf(id).map((m) => [m.topic, m.id, m.payload]);
    expect(byTopic).toEqual(
      expect.arrayContaining([
        [ARTICLE_PUBLISHED, `article.published:${id}:${first}`, { id, authorId: ada.uid, title: 'Evented', at: first }],
        [ARTICLE_WITHDRAWN, `article.withdrawn:${id}:${withdrawnAt}`, { id, authorId: ada.uid, at: withdrawnAt }],
        [ARTICLE_PUBLISHED, `article.published:${id}:${again}`, { id, authorId: ada.uid, title: 'Evented again', at: again }],
      ]),
    );
    await eventually(async () => expect(await pending()).toBe(0));
    await new Promise((r) => setTimeout(r, 100));
    expect(eventsOf(id)).toHaveLength(3);
  });

  it('when a write fails or is refused, then no event is written or sent', async () => {
    const id = bodyOf(await post(t.app, '/articles/edit', ada.token, { title: 'Draft', content: 'x' })).data.id as number;
    expect((await post(t.app, '/articles/publish', bob.token, { id, title: 'Hijack', content: 'x' })).statusCode).toBe(404);
    expect((await post(t.app, '/articles/withdraw', ada.token, { id })).statusCode).toBe(409);
    expect((await post(t.app, '/articles/publish', ada.token, { id, title: 'Bad tags', content: 'x', tags: ['a', 'b', 'c', 'd', 'e', 'f'] })).statusCode).toBe(400);
    expect(await pending()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(eventsOf(id)).toEqual([]);
  });

  it('when the bus is down at publish time, then the event waits in the outbox and is delivered, and indexed, once the bus is back', async () => {
    bus.publish = async () => {
      throw new Error('bus unreachable (test)');
    };
    t.clock.advance(1000);
    const res = await post(t.app, '/articles/publish', ada.token, { title: 'Outage wombat', content: 'published while the bus was down' });
    expect(res.statusCode).toBe(200);
    const id = bodyOf(res).data.id as number;
    expect((await get(t.app, `/articles/pub/${id}`)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await pending()).toBe(1);
    expect(eventsOf(id)).toEqual([]);
    expect(t.logs.some((l) => l.msg === 'outbox relay failed; events stay in event_outbox and are retried' && l.severity === 'P1')).toBe(true);

    bus.publish = realPublish;
    // The relay's timer (1 s) retries without another request.
    await eventually(() => expect(eventsOf(id).map((m) => m.topic)).toEqual([ARTICLE_PUBLISHED]), 5000);
    await eventually(async () => expect(await pending()).toBe(0));
    await eventually(async () => expect(bodyOf(await get(t.app, '/search?q=wombat')).data.list.map((a: { id: number }) => a.id)).toEqual([id]), 5000);
  });
});
