import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLock } from '../../src/pkg/lock/hold.js';
import type { DistributedLock, FencedWriter } from '../../src/pkg/lock/lock.js';
import { MemoryFencedWriter, MemoryLock } from '../../src/pkg/lock/memory-lock.js';
import { RedisFencedWriter, RedisLock } from '../../src/pkg/lock/redis-lock.js';
import { cacheKinds, freshCache, type TestCache } from '../support/backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(cacheKinds)('distributed lock contract: %s', (kind) => {
  let t: TestCache;
  let lock: DistributedLock;
  let fenced: FencedWriter;
  beforeEach(() => {
    t = freshCache(kind);
    const redis = t.redis[0];
    lock = redis ? new RedisLock(redis) : new MemoryLock();
    fenced = redis ? new RedisFencedWriter(redis) : new MemoryFencedWriter(t.cache);
  });
  afterEach(async () => {
    await lock.close();
    await t.close();
  });

  it('when 20 contenders race for a free lock, then exactly one gets it', async () => {
    const leases = await Promise.all(Array.from({ length: 20 }, () => lock.tryAcquire('race', 5_000)));
    expect(leases.filter(Boolean)).toHaveLength(1);
  });

  it('when 20 contenders loop over acquire-work-release, then the critical section never has two inside', async () => {
    let inside = 0;
    let maxInside = 0;
    let entries = 0;
    const contender = async () => {
      for (let done = 0; done < 3; ) {
        const lease = await lock.tryAcquire('section', 5_000);
        if (!lease) {
          await sleep(1);
          continue;
        }
        inside++;
        maxInside = Math.max(maxInside, inside);
        entries++;
        await sleep(2);
        inside--;
        expect(await lock.release(lease)).toBe(true);
        done++;
      }
    };
    await Promise.all(Array.from({ length: 20 }, contender));
    expect(entries).toBe(60);
    expect(maxInside).toBe(1);
  });

  it('when a lease expires, then another contender takes the lock with a larger fence', async () => {
    const first = await lock.tryAcquire('expiry', 80);
    expect(first).not.toBeNull();
    expect(await lock.tryAcquire('expiry', 80)).toBeNull();
    await sleep(150);
    const second = await lock.tryAcquire('expiry', 5_000);
    expect(second).not.toBeNull();
    expect(second!.fence).toBeGreaterThan(first!.fence);
    expect(second!.token).not.toBe(first!.token);
    // The old holder can neither extend nor free what is now someone else's.
    expect(await lock.extend(first!, 5_000)).toBe(false);
    expect(await lock.release(first!)).toBe(false);
    expect(await lock.tryAcquire('expiry', 5_000)).toBeNull();
  });

  it('when the holder extends before expiry, then the lease outlives its first ttl', async () => {
    const lease = await lock.tryAcquire('extend', 150);
    await sleep(80);
    expect(await lock.extend(lease!, 300)).toBe(true);
    await sleep(120); // past the first ttl, inside the extended one
    expect(await lock.tryAcquire('extend', 150)).toBeNull();
  });

  it('when work runs under withLock longer than the ttl, then renewal keeps others out until it releases', async () => {
    let outsider: unknown = 'not tried';
    const result = await withLock(lock, 'renewed', { ttlMs: 120, renewEveryMs: 30 }, async (held) => {
      await sleep(400); // more than three ttls
      outsider = await lock.tryAcquire('renewed', 120);
      expect(held.signal.aborted).toBe(false);
      return 'done';
    });
    expect(result).toEqual({ acquired: true, value: 'done' });
    expect(outsider).toBeNull();
    expect(await lock.tryAcquire('renewed', 120)).not.toBeNull(); // released at the end
  });

  it('when a renewal finds the lease taken by someone else, then the work is told through its signal', async () => {
    const result = await withLock(lock, 'stolen', { ttlMs: 60, renewEveryMs: 150 }, async (held) => {
      await sleep(100); // the lease expires before the first renewal...
      expect(await lock.tryAcquire('stolen', 5_000)).not.toBeNull(); // ...and someone takes it
      await sleep(120);
      return held.signal.aborted;
    });
    expect(result).toEqual({ acquired: true, value: true });
    expect(await lock.tryAcquire('stolen', 5_000)).toBeNull(); // the old holder's release freed nothing
  });

  it('when the lock is held, then withLock does not run the work', async () => {
    await lock.tryAcquire('busy', 5_000);
    let ran = false;
    expect(await withLock(lock, 'busy', { ttlMs: 1_000 }, async () => (ran = true))).toEqual({ acquired: false });
    expect(ran).toBe(false);
  });

  it('when someone other than the owner releases, then nothing changes', async () => {
    const lease = await lock.tryAcquire('owner', 5_000);
    expect(await lock.release({ ...lease!, token: 'forged-token' })).toBe(false);
    expect(await lock.extend({ ...lease!, token: 'forged-token' }, 5_000)).toBe(false);
    expect(await lock.tryAcquire('owner', 5_000)).toBeNull();
    expect(await lock.release(lease!)).toBe(true);
    expect(await lock.release(lease!)).toBe(false); // twice: already free
    expect(await lock.tryAcquire('owner', 5_000)).not.toBeNull();
  });

  it('when a holder lost the lock, then its fenced write cannot overwrite the newer holder’s result', async () => {
    const old = await lock.tryAcquire('fenced', 60);
    await sleep(100);
    const current = await lock.tryAcquire('fenced', 5_000);
    expect(await fenced.write('result', current!.fence, 'new', 60_000)).toBe(true);
    expect(await fenced.write('result', old!.fence, 'stale', 60_000)).toBe(false);
    expect(await t.cache.get('result')).toBe('new');
    expect(await fenced.write('result', current!.fence, 'new again', 60_000)).toBe(true); // same holder rewrites
    expect(await t.cache.get('result')).toBe('new again');
  });
});
