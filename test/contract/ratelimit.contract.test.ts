import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRedis } from '../../src/pkg/cache/redis-cache.js';
import { RedisRateLimiter } from '../../src/pkg/ratelimit/redis-limiter.js';
import { cacheKinds, freshCache, type TestCache } from '../support/backends.js';

const T0 = 1_800_000_000_000;
const rule = { max: 3, windowMs: 1000 };

describe.each(cacheKinds)('sliding-window rate limiter contract: %s', (kind) => {
  let t: TestCache;
  beforeEach(() => {
    t = freshCache(kind);
  });
  afterEach(async () => t.close());

  it('when under the limit, then requests pass with the remaining count', async () => {
    expect(await t.limiter.hit('k', rule, T0)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(await t.limiter.hit('k', rule, T0 + 1)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(await t.limiter.hit('k', rule, T0 + 2)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
  });

  it('when the limit is reached, then the next is denied until the oldest leaves the window', async () => {
    for (const dt of [0, 100, 200]) await t.limiter.hit('k', rule, T0 + dt);
    expect(await t.limiter.hit('k', rule, T0 + 500)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500 });
    // At exactly T0 + window the first request is out: (now - window, now] excludes it.
    expect(await t.limiter.hit('k', rule, T0 + 999)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(await t.limiter.hit('k', rule, T0 + 1000)).toMatchObject({ allowed: true, remaining: 0 });
    // The window slides: the request at +100 leaves at +1100, not at a fixed boundary.
    expect(await t.limiter.hit('k', rule, T0 + 1099)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(await t.limiter.hit('k', rule, T0 + 1100)).toMatchObject({ allowed: true });
  });

  it('when requests are denied, then they do not count against the window', async () => {
    for (let i = 0; i < 3; i++) await t.limiter.hit('k', rule, T0);
    for (let i = 0; i < 10; i++) expect((await t.limiter.hit('k', rule, T0 + 10 + i)).allowed).toBe(false);
    expect((await t.limiter.hit('k', rule, T0 + 1000)).allowed).toBe(true);
  });

  it('when two hits land in the same millisecond, then both count', async () => {
    const same = await Promise.all([t.limiter.hit('k', rule, T0), t.limiter.hit('k', rule, T0)]);
    expect(same.every((d) => d.allowed)).toBe(true);
    expect((await t.limiter.hit('k', rule, T0)).remaining).toBe(0);
    expect((await t.limiter.hit('k', rule, T0)).allowed).toBe(false);
  });

  it('when keys differ, then their windows are independent', async () => {
    for (let i = 0; i < 3; i++) await t.limiter.hit('a', rule, T0);
    expect((await t.limiter.hit('a', rule, T0)).allowed).toBe(false);
    expect((await t.limiter.hit('b', rule, T0)).allowed).toBe(true);
  });

  it('when 200 requests race for 25 slots, then exactly 25 pass', async () => {
    const big = { max: 25, windowMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => t.limiter.hit('race', big, T0 + (i % 7))));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
  });

  it('when concurrent hits on one key exceed the limit, then the first `max` in arrival order pass, counting down', async () => {
    const five = { max: 5, windowMs: 1000 };
    const decisions = await Promise.all(Array.from({ length: 12 }, (_, i) => t.limiter.hit('k', five, T0 + i)));
    expect(decisions.map((d) => d.allowed)).toEqual([...Array(5).fill(true), ...Array(7).fill(false)]);
    expect(decisions.slice(0, 5).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
    // each denied hit is told when the first (at T0) leaves: T0 + 1000 - (T0 + i)
    expect(decisions.slice(5).map((d) => d.retryAfterMs)).toEqual([995, 994, 993, 992, 991, 990, 989]);
  });

  it('when concurrent hits mix keys and rules, then each key is decided as if alone', async () => {
    const two = { max: 2, windowMs: 1000 };
    const order = ['a', 'b', 'a', 'c', 'a', 'b', 'b', 'a', 'c'];
    const decisions = await Promise.all(order.map((k) => t.limiter.hit(k, k === 'c' ? rule : two, T0)));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false, true, false, false, true]);
    expect(decisions.map((d) => d.remaining)).toEqual([1, 1, 0, 2, 0, 0, 0, 0, 1]);
  });

  it('when max is 0, then nothing passes and the wait is a whole window', async () => {
    expect(await t.limiter.hit('zero', { max: 0, windowMs: 1000 }, T0)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1000 });
  });
});

describe.runIf(cacheKinds.includes('redis'))('Redis rate limiter batching (needs WEBOOK_TEST_REDIS_URL; CI sets it)', () => {
  let t: TestCache;
  beforeEach(() => {
    t = freshCache('redis');
  });
  afterEach(async () => t.close());

  it('when 300 hits on one key race in batches of at most 7, then exactly `max` pass', async () => {
    const conn = new Redis(t.url, { keyPrefix: t.prefix, enableAutoPipelining: false });
    const scripts = new Set<unknown>(); // commands queued before the connection is up are sent twice
    const send = conn.sendCommand.bind(conn);
    conn.sendCommand = (command, ...rest) => {
      if (/^eval/.test(command.name)) scripts.add(command);
      return send(command, ...rest);
    };
    const limiter = new RedisRateLimiter(conn, { maxBatch: 7 });
    const big = { max: 40, windowMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 300 }, (_, i) => limiter.hit('race', big, T0 + (i % 5))));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(40);
    expect(decisions.findIndex((d) => !d.allowed)).toBe(40); // arrival order kept across batches
    expect(scripts.size).toBe(Math.ceil(300 / 7)); // one script call per batch, not per hit
    await conn.quit();
  });

  it('when two limiters (two API instances) share Redis, then together they allow exactly `max`', async () => {
    const other = openRedis(t.url, t.prefix);
    try {
      const a = t.limiter;
      const b = new RedisRateLimiter(other);
      const big = { max: 30, windowMs: 60_000 };
      const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).hit('shared', big, T0)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(30);
    } finally {
      await other.quit();
    }
  });

  it('when Redis has lost the script (restart, SCRIPT FLUSH), then the batch loads it again and is decided', async () => {
    const conn = new Redis(t.url, { keyPrefix: t.prefix });
    await conn.ping(); // connected: nothing goes through the offline queue (which sends again)
    const sent: string[] = [];
    const send = conn.sendCommand.bind(conn);
    conn.sendCommand = (command, ...rest) => {
      sent.push(command.name);
      if (command.name === 'evalsha' && sent.filter((n) => n === 'evalsha').length === 1) {
        command.reject(new Error('NOSCRIPT No matching script. Please use EVAL.'));
        return command.promise;
      }
      return send(command, ...rest);
    };
    try {
      const limiter = new RedisRateLimiter(conn);
      const decisions = await Promise.all(Array.from({ length: 4 }, () => limiter.hit('k', rule, T0)));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(sent.filter((n) => n.startsWith('eval'))).toEqual(['evalsha', 'eval']);
      expect((await limiter.hit('k', rule, T0 + 1000)).allowed).toBe(true); // and evalsha works after
    } finally {
      await conn.quit();
    }
  });

  it('when Redis cannot be reached, then every hit of the batch fails', async () => {
    const down = openRedis('redis://127.0.0.1:1/0', t.prefix);
    down.on('error', () => {});
    try {
      const limiter = new RedisRateLimiter(down);
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => limiter.hit('k', rule, T0)));
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
    } finally {
      down.disconnect();
    }
  });
});
