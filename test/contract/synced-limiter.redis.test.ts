import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { openRedis } from '../../src/pkg/cache/redis-cache.js';
import { SyncedRateLimiter, type SyncedRateLimiterOptions } from '../../src/pkg/ratelimit/synced-limiter.js';
import { cacheKinds, freshCache, type TestCache } from '../support/backends.js';

const hasRedis = cacheKinds.includes('redis');

/** A window start: the counter's windows are aligned to multiples of windowMs. */
const T0 = 1_800_000_000_000;
const W = 1000;
const rule = (max: number) => ({ max, windowMs: W });

/**
 * The API-wide limiter: a sliding-window counter decided in process and synced through
 * Redis (src/pkg/ratelimit/synced-limiter.ts). Syncs run by hand here (a long syncMs keeps
 * the timer out of the way), so what each instance knows is exactly what the test says.
 */
describe.skipIf(!hasRedis)('synced sliding-window counter over Redis (needs WEBOOK_TEST_REDIS_URL; CI sets it)', () => {
  const opened: TestCache[] = [];
  const limiters: SyncedRateLimiter[] = [];
  afterEach(async () => {
    for (const l of limiters.splice(0)) await l.close().catch(() => {});
    for (const t of opened.splice(0).reverse()) await t.close();
  });
  /** `count` instances sharing one key prefix, as API instances share Redis. */
  const instances = (count: number, opts: Partial<SyncedRateLimiterOptions> = {}) => {
    const first = freshCache('redis');
    opened.push(first);
    const caches = [first, ...Array.from({ length: count - 1 }, () => freshCache('redis', { prefix: first.prefix }))];
    opened.push(...caches.slice(1));
    return caches.map((c) => {
      const l = new SyncedRateLimiter(c.redis[0]!, { syncMs: 60_000, ...opts });
      limiters.push(l);
      return l;
    });
  };
  const allowed = async (l: SyncedRateLimiter, key: string, max: number, times: number[]) => {
    const out: boolean[] = [];
    for (const t of times) out.push((await l.hit(key, rule(max), t)).allowed);
    return out;
  };

  it('when under the limit, then hits pass with the remaining count, and the limit holds', async () => {
    const [l] = instances(1);
    expect(await l!.hit('k', rule(3), T0)).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(await l!.hit('k', rule(3), T0 + 1)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(await l!.hit('k', rule(3), T0 + 2)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    // 3 in this window: one more fits once 3 * (1 - x / W) + 1 <= 3 in the next, at x = 334.
    expect(await l!.hit('k', rule(3), T0 + 500)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 834 });
  });

  it('when a window ends, then the previous one counts by how much of it the sliding window still covers', async () => {
    const [l] = instances(1);
    expect((await allowed(l!, 'k', 10, Array(10).fill(T0 + 900))).every(Boolean)).toBe(true);
    // At T0 + W + 500 half of the last window is still covered: 10 * 0.5 = 5 used, 5 more pass.
    const half = await allowed(l!, 'k', 10, Array(6).fill(T0 + W + 500));
    expect(half).toEqual([true, true, true, true, true, false]);
    // 5 in this window + 10 * 0.4 at +600: 9 used, one passes; the one after is told when.
    expect(await l!.hit('k', rule(10), T0 + W + 600)).toMatchObject({ allowed: true, remaining: 0 });
    const denied = await l!.hit('k', rule(10), T0 + W + 600);
    expect(denied.allowed).toBe(false);
    // 6 + 10 * (400 - d) / 1000 + 1 <= 10: d = 100.
    expect(denied.retryAfterMs).toBe(100);
    expect((await l!.hit('k', rule(10), T0 + W + 700)).allowed).toBe(true);
    // Two windows on, nothing of that is left.
    expect((await allowed(l!, 'k', 10, Array(10).fill(T0 + 3 * W))).every(Boolean)).toBe(true);
  });

  it('when max is 0, then nothing passes and the wait is a whole window', async () => {
    const [l] = instances(1);
    expect(await l!.hit('zero', rule(0), T0 + 10)).toEqual({ allowed: false, remaining: 0, retryAfterMs: W });
  });

  it('when hits are denied, then they do not count', async () => {
    const [l] = instances(1);
    await allowed(l!, 'k', 3, [T0, T0, T0]);
    expect(await allowed(l!, 'k', 3, Array(20).fill(T0 + 10))).toEqual(Array(20).fill(false));
    await l!.sync();
    // Next window at x: 3 * (1 - x / W) + 1 <= 3 from x = 334, whatever was denied.
    expect((await l!.hit('k', rule(3), T0 + W + 334)).allowed).toBe(true);
  });

  it('when 200 hits race for 25 slots on one instance, then exactly 25 pass, in arrival order', async () => {
    const [l] = instances(1);
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => l!.hit('race', { max: 25, windowMs: 60_000 }, T0 + (i % 7))));
    expect(decisions.map((d) => d.allowed)).toEqual([...Array(25).fill(true), ...Array(175).fill(false)]);
    expect(decisions.slice(0, 25).map((d) => d.remaining)).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
  });

  it('when instances sync, then each counts the hits the others allowed', async () => {
    const [a, b] = instances(2);
    expect((await allowed(a!, 'ip', 10, Array(6).fill(T0))).every(Boolean)).toBe(true);
    await a!.sync();
    // b's first hit waits for a sync: it sees a's 6 and passes 4 more.
    expect(await allowed(b!, 'ip', 10, Array(5).fill(T0 + 1))).toEqual([true, true, true, true, false]);
    await b!.sync();
    // a learns of b's hits with the next sync of a key it hit: until then it decides from its own view.
    expect((await a!.hit('ip', rule(10), T0 + 2)).allowed).toBe(true);
    await a!.sync();
    expect((await a!.hit('ip', rule(10), T0 + 3)).allowed).toBe(false);
    await a!.sync();
    // The shared counter holds the sum, once.
    const redis = opened[0]!.redis[0]!;
    expect(await redis.get(`rlw:${W}:ip:${T0 / W}`)).toBe('11');
    expect(await redis.pttl(`rlw:${W}:ip:${T0 / W}`)).toBeGreaterThan(2 * W);
  });

  it('when instances race between syncs, then the overshoot is what the others allowed since their last sync, and both stop after it', async () => {
    const [a, b] = instances(2);
    await Promise.all([a!.hit('ip', rule(10), T0), b!.hit('ip', rule(10), T0)]); // both known, 1 each
    const passed = [...(await allowed(a!, 'ip', 10, Array(12).fill(T0 + 1))), ...(await allowed(b!, 'ip', 10, Array(12).fill(T0 + 1)))];
    // Each saw only its own hits: at most 10 each in all.
    expect(passed.filter(Boolean).length).toBeLessThanOrEqual(20);
    await a!.sync();
    await b!.sync();
    await a!.sync();
    expect((await a!.hit('ip', rule(10), T0 + 2)).allowed).toBe(false);
    expect((await b!.hit('ip', rule(10), T0 + 2)).allowed).toBe(false);
  });

  it('when a key is far below its limit, then its hits stay in process up to its allowance, and the hit past it goes with the next sync', async () => {
    const [a] = instances(1);
    const redis = opened[0]!.redis[0]!;
    const counter = `rlw:${W}:ip:${T0 / W}`;
    await a!.hit('ip', rule(100), T0); // waits for a sync: 0 of 100 used, an allowance of 100 / 8 = 12
    expect((await allowed(a!, 'ip', 100, Array(11).fill(T0 + 1))).every(Boolean)).toBe(true);
    await a!.sync();
    expect(await redis.get(counter)).toBeNull(); // 12 unsent: not due
    await a!.hit('ip', rule(100), T0 + 2);
    await a!.sync();
    expect(await redis.get(counter)).toBe('13');
    // The answer left 87 of room: an allowance of 10.
    await allowed(a!, 'ip', 100, Array(10).fill(T0 + 3));
    await a!.sync();
    expect(await redis.get(counter)).toBe('13');
    expect(await a!.hit('ip', rule(100), T0 + 3)).toEqual({ allowed: true, remaining: 76, retryAfterMs: 0 });
    await a!.sync();
    expect(await redis.get(counter)).toBe('24');
  });

  it('when a key was synced refreshMs ago, then its unsent hits go with the next sync, though it took no hit since', async () => {
    const [a] = instances(1, { staleMs: 1000, refreshMs: 500 });
    const redis = opened[0]!.redis[0]!;
    await allowed(a!, 'ip', 100, [T0, T0 + 1, T0 + 2]); // synced at T0, 3 hits unsent
    await a!.hit('other', rule(100), T0 + 499); // moves the limiter's clock; its sync is not yet ip's refresh
    expect(await redis.get(`rlw:${W}:ip:${T0 / W}`)).toBeNull();
    await a!.hit('other', rule(100), T0 + 500);
    await a!.sync();
    expect(await redis.get(`rlw:${W}:ip:${T0 / W}`)).toBe('3');
  });

  it('when instances share a key far below its limit, then each passes at most its allowance unseen by the other, and the counter holds every pass', async () => {
    const [a, b] = instances(2);
    await Promise.all([a!.hit('ip', rule(80), T0), b!.hit('ip', rule(80), T0)]); // 0 used: an allowance of 10 each
    expect((await allowed(a!, 'ip', 80, Array(9).fill(T0 + 1))).every(Boolean)).toBe(true);
    await a!.sync(); // a's 10 are within its allowance: not sent
    expect(await b!.hit('ip', rule(80), T0 + 1)).toMatchObject({ allowed: true, remaining: 78 });
    await a!.hit('ip', rule(80), T0 + 1); // the 11th is past it
    await a!.sync();
    await b!.hit('ip', rule(80), T0 + 1); // b's next due sync shows a's 11 ...
    for (let i = 0; i < 8; i++) await b!.hit('ip', rule(80), T0 + 1);
    await b!.sync();
    expect(await b!.hit('ip', rule(80), T0 + 1)).toMatchObject({ allowed: true, remaining: 80 - 11 - 11 - 1 });

    // Both hammer it, syncing every five hits each, as a busy pair of instances would.
    let passed = 11 + 12;
    for (let round = 0; round < 20; round++) {
      for (const l of [a!, b!]) passed += (await allowed(l, 'ip', 80, Array(5).fill(T0 + 2))).filter(Boolean).length;
      await a!.sync();
      await b!.sync();
    }
    expect(passed).toBeGreaterThanOrEqual(80);
    expect(passed).toBeLessThanOrEqual(80 + 10); // at most one allowance over
    await a!.sync();
    expect(await a!.hit('ip', rule(80), T0 + 3)).toMatchObject({ allowed: false });
    expect(await b!.hit('ip', rule(80), T0 + 3)).toMatchObject({ allowed: false });
    await a!.close();
    await b!.close();
    expect(await opened[0]!.redis[0]!.get(`rlw:${W}:ip:${T0 / W}`)).toBe(String(passed));
  });

  it('when a key has not synced for staleMs, then its next hit waits for a sync and sees the others', async () => {
    const [a, b] = instances(2, { staleMs: 100 });
    expect((await a!.hit('ip', rule(5), T0)).allowed).toBe(true);
    expect((await allowed(b!, 'ip', 5, [T0, T0, T0])).every(Boolean)).toBe(true);
    await b!.sync();
    // Within staleMs a decides from what it knew (1 of 5 used).
    expect(await a!.hit('ip', rule(5), T0 + 50)).toMatchObject({ allowed: true, remaining: 3 });
    // Past it, a asks first: 1 + 1 + 3 of 5 used.
    expect(await a!.hit('ip', rule(5), T0 + 200)).toMatchObject({ allowed: false });
  });

  it('when more keys were hit than one call takes, then the calls go out a turn of the loop apart, and every key is synced', async () => {
    const [a, b] = instances(2, { maxBatch: 2 });
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
    for (const k of keys) await a!.hit(k, rule(2), T0); // a first hit waits for its sync
    for (const k of keys) expect((await a!.hit(k, rule(2), T0 + 1)).allowed).toBe(true); // decided in process, unsent
    const redis = opened[0]!.redis[0]! as Redis;
    const sendCommand = redis.sendCommand.bind(redis);
    let sent = 0;
    redis.sendCommand = ((...args: Parameters<typeof sendCommand>) => (sent++, sendCommand(...args))) as typeof redis.sendCommand;
    const sync = a!.sync();
    expect(sent).toBe(1); // the other two calls wait for their turns
    await sync;
    expect(sent).toBe(3);
    redis.sendCommand = sendCommand;
    for (const k of keys) expect((await b!.hit(k, rule(2), T0 + 2)).allowed).toBe(false);
  });

  it('when close() is called while a sync is still building its calls, then it waits for all of them', async () => {
    const [a] = instances(1, { maxBatch: 2 });
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
    for (const k of keys) await a!.hit(k, rule(2), T0);
    for (const k of keys) await a!.hit(k, rule(2), T0 + 1);
    const redis = opened[0]!.redis[0]! as Redis;
    const sendCommand = redis.sendCommand.bind(redis);
    let sent = 0;
    redis.sendCommand = ((...args: Parameters<typeof sendCommand>) => (sent++, sendCommand(...args))) as typeof redis.sendCommand;
    void a!.sync(); // the timer's sync, under way
    await a!.close();
    expect(sent).toBe(3); // all three calls out before the connection may close
    redis.sendCommand = sendCommand;
  });

  it('when close() is called, then the hits counted only in process reach Redis', async () => {
    const [a, b] = instances(2);
    await allowed(a!, 'ip', 5, [T0, T0, T0, T0]);
    await allowed(a!, 'far', 100, [T0, T0, T0, T0]); // within its allowance: never due
    await a!.close();
    expect(await allowed(b!, 'ip', 5, [T0, T0])).toEqual([true, false]);
    expect(await b!.hit('far', rule(100), T0)).toMatchObject({ allowed: true, remaining: 95 });
  });

  it('when Redis is unreachable, then a hit that waits for a sync fails, and a later sync still carries the hits counted meanwhile', async () => {
    const dead = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const down = openRedis(`redis://127.0.0.1:${dead}`, 'unused:');
    down.on('error', () => {}); // the failed hit below is the report
    const l = new SyncedRateLimiter(down, { syncMs: 60_000 });
    try {
      await expect(l.hit('k', rule(3), T0)).rejects.toThrow();
    } finally {
      await l.close().catch(() => {});
      down.disconnect();
    }

    // A known key keeps deciding while a sync fails; its hits go with the next sync that works.
    const [a, b] = instances(2);
    await a!.hit('ip', rule(5), T0);
    const redis = opened[0]!.redis[0]! as Redis;
    const sendCommand = redis.sendCommand.bind(redis);
    redis.sendCommand = (() => {
      throw new Error('connection lost');
    }) as typeof redis.sendCommand;
    expect((await allowed(a!, 'ip', 5, [T0 + 1, T0 + 1])).every(Boolean)).toBe(true);
    await expect(a!.sync()).rejects.toThrow('connection lost');
    redis.sendCommand = sendCommand;
    await a!.sync();
    expect(await allowed(b!, 'ip', 5, [T0 + 2, T0 + 2, T0 + 2])).toEqual([true, true, false]);
  });
});
