import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisInvalidationBus } from '../../src/pkg/cache/redis-invalidation.js';

/** A subscriber connection whose SUBSCRIBE is answered by `answer` (a closed connection rejects it). */
function fakeSubscriber(answer: () => Promise<unknown>) {
  const conn = Object.assign(new EventEmitter(), { status: 'connecting', options: {}, subscribe: answer });
  return conn as unknown as Redis & EventEmitter;
}

const publisher = { options: { keyPrefix: 'p:' } } as unknown as Redis;

describe('the Redis invalidation bus', () => {
  it('when the connection closes before SUBSCRIBE is answered, then nothing is thrown, the bus is not live, and the next ready subscribes', async () => {
    let calls = 0;
    const subscriber = fakeSubscriber(() => (++calls === 1 ? Promise.reject(new Error('Connection is closed.')) : Promise.resolve(1)));
    const bus = new RedisInvalidationBus(publisher, subscriber);
    const heard: (string | null)[] = [];
    bus.subscribe((key) => heard.push(key));

    subscriber.emit('ready'); // the reply to this one is lost with the connection
    await new Promise((r) => setImmediate(r));
    expect(bus.live).toBe(false);

    subscriber.emit('ready'); // reconnected
    await new Promise((r) => setImmediate(r));
    expect(bus.live).toBe(true);
    expect(calls).toBe(2);
    expect(heard).toEqual([null]); // near caches drop what they hold when the subscription is (re)made
  });
});
