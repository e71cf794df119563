import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/pkg/cache/memory-cache.js';
import { NearCache, type InvalidationBus } from '../../src/pkg/cache/near-cache.js';

/** A bus we drive by hand. */
class ManualBus implements InvalidationBus {
  live = true;
  published: string[] = [];
  private listener: (key: string | null) => void = () => {};
  async publish(key: string) {
    this.published.push(key);
  }
  subscribe(listener: (key: string | null) => void) {
    this.listener = listener;
  }
  deliver(key: string | null) {
    this.listener(key);
  }
}

const setup = () => {
  const shared = new MemoryCache();
  const bus = new ManualBus();
  const near = new NearCache(shared, bus, { prefixes: ['session:'], localTtlMs: 60_000 });
  return { shared, bus, near };
};

/** Like setup, but each shared read takes 10 ms after reading, so invalidations can land meanwhile; counts reads. */
const slowSetup = () => {
  const t = setup();
  const stats = { reads: 0 };
  const get = t.shared.get.bind(t.shared);
  t.shared.get = async (key: string) => {
    stats.reads++;
    const value = await get(key);
    await new Promise((r) => setTimeout(r, 10)); // the answer is on its way back
    return value;
  };
  return { ...t, stats };
};

describe('near cache', () => {
  it('when a near key was read, then later reads are local until an invalidation arrives', async () => {
    const { shared, bus, near } = setup();
    await shared.set('session:a', 'active');
    expect(await near.get('session:a')).toBe('active');
    await shared.set('session:a', 'revoked'); // changed behind our back, no message yet
    expect(await near.get('session:a')).toBe('active');
    bus.deliver('session:a');
    expect(await near.get('session:a')).toBe('revoked');
  });

  it('when this instance writes, then it publishes the key and drops its own copy', async () => {
    const { bus, near } = setup();
    await near.set('session:b', 'active');
    expect(await near.get('session:b')).toBe('active');
    await near.set('session:b', 'revoked');
    expect(await near.get('session:b')).toBe('revoked');
    await near.del('session:b');
    expect(await near.get('session:b')).toBeNull();
    expect(bus.published).toEqual(['session:b', 'session:b', 'session:b']);
  });

  it('when an invalidation lands while a read is in flight, then the stale read is not kept', async () => {
    const { shared, bus, near } = setup();
    await shared.set('session:c', 'active');
    const inflight = near.get('session:c'); // reads 'active' from the shared level...
    bus.deliver('session:c'); // ...while another instance revokes
    await shared.set('session:c', 'revoked');
    expect(await inflight).toBe('active');
    expect(await near.get('session:c')).toBe('revoked');
  });

  it('when the bus is down, then nothing is served locally', async () => {
    const { shared, bus, near } = setup();
    await shared.set('session:d', 'active');
    await near.get('session:d');
    bus.live = false;
    bus.deliver(null); // a dropped subscription clears everything
    await shared.set('session:d', 'revoked');
    expect(await near.get('session:d')).toBe('revoked');
    await shared.set('session:d', 'active');
    expect(await near.get('session:d')).toBe('active'); // and reads stay read-through
  });

  it('keys without a near prefix always go to the shared level', async () => {
    const { shared, bus, near } = setup();
    await shared.set('other', '1');
    expect(await near.get('other')).toBe('1');
    await shared.set('other', '2');
    expect(await near.get('other')).toBe('2');
    await near.set('other', '3');
    expect(bus.published).toEqual([]);
  });

  it('hashes outside the statistics prefixes go straight to the shared level, and a hash key under a near prefix is refused', async () => {
    const { shared, bus, near } = setup();
    await near.hsetAll('cnt:1', { readCnt: 1 });
    expect(await near.hincrByIfExists('cnt:1', 'readCnt', 2)).toBe(true);
    expect(await shared.hgetAll('cnt:1')).toEqual({ readCnt: '3' });
    await shared.hsetAll('cnt:1', { readCnt: 9 }); // changed behind our back: still seen at once
    expect(await near.hgetAll('cnt:1')).toEqual({ readCnt: '9' });
    expect(await near.hmgetAll(['cnt:1', 'cnt:2'])).toEqual([{ readCnt: '9' }, null]);
    expect(bus.published).toEqual([]);

    await expect(near.hsetAll('session:h', { a: 1 })).rejects.toThrow(/near-cached prefix session:/);
    await expect(near.hgetAll('session:h')).rejects.toThrow(/near-cached/);
    await expect(near.hmgetAll(['cnt:1', 'session:h'])).rejects.toThrow(/near-cached/);
    await expect(near.hincrByIfExists('session:h', 'a', 1)).rejects.toThrow(/near-cached/);
    expect(await shared.hgetAll('session:h')).toBeNull();
  });

  describe('statistics hashes (counters)', () => {
    const statSetup = (localTtlMs = 60_000) => {
      const shared = new MemoryCache();
      const bus = new ManualBus();
      const near = new NearCache(shared, bus, { prefixes: ['session:'], localTtlMs: 60_000, statHashes: { prefixes: ['cnt:'], localTtlMs } });
      return { shared, bus, near };
    };

    it('when a counter hash was read, then later reads are local, frozen copies, until an invalidation arrives', async () => {
      const { shared, bus, near } = statSetup();
      await shared.hsetAll('cnt:1', { likeCnt: 1 });
      const first = await near.hgetAll('cnt:1');
      expect(first).toEqual({ likeCnt: '1' });
      expect(Object.isFrozen(first)).toBe(true);
      await shared.hsetAll('cnt:1', { likeCnt: 2 }); // changed behind our back, no message yet
      expect(await near.hgetAll('cnt:1')).toBe(first);
      bus.deliver('cnt:1');
      expect(await near.hgetAll('cnt:1')).toEqual({ likeCnt: '2' });
      expect(await near.hgetAll('cnt:none')).toBeNull(); // a miss is not kept
      await shared.hsetAll('cnt:none', { likeCnt: 5 });
      expect(await near.hgetAll('cnt:none')).toEqual({ likeCnt: '5' });
    });

    it('when this instance sets a hash or increments one field, then it publishes the key and drops its own copy', async () => {
      const { bus, near } = statSetup();
      await near.hsetAll('cnt:2', { likeCnt: 1 });
      expect(await near.hgetAll('cnt:2')).toEqual({ likeCnt: '1' });
      expect(await near.hincrByIfExists('cnt:2', 'likeCnt', 1)).toBe(true);
      expect(await near.hgetAll('cnt:2')).toEqual({ likeCnt: '2' });
      await near.del('cnt:2');
      expect(await near.hgetAll('cnt:2')).toBeNull();
      expect(bus.published).toEqual(['cnt:2', 'cnt:2', 'cnt:2']);
    });

    it('when increments come in a batch, then no copy is dropped and nothing published: every instance shows them once its copy expires', async () => {
      const { shared, bus, near } = statSetup(50);
      await shared.hsetAll('cnt:3', { readCnt: 1 });
      await shared.hsetAll('plain:3', { readCnt: 1 });
      expect(await near.hgetAll('cnt:3')).toEqual({ readCnt: '1' });
      expect(await near.hincrManyIfExists([{ key: 'cnt:3', field: 'readCnt', by: 2 }, { key: 'plain:3', field: 'readCnt', by: 1 }])).toBe(2);
      expect(bus.published).toEqual([]);
      expect(await shared.hgetAll('cnt:3')).toEqual({ readCnt: '3' });
      expect(await near.hgetAll('plain:3')).toEqual({ readCnt: '2' }); // not a statistics hash: read through
      expect(await near.hgetAll('cnt:3')).toEqual({ readCnt: '1' }); // the copy, for at most 50 ms (±20%)
      await new Promise((r) => setTimeout(r, 80));
      expect(await near.hgetAll('cnt:3')).toEqual({ readCnt: '3' });
    });

    it('when the bus is down, then counters are read from the shared level', async () => {
      const { shared, bus, near } = statSetup();
      await shared.hsetAll('cnt:4', { likeCnt: 1 });
      bus.live = false;
      expect(await near.hgetAll('cnt:4')).toEqual({ likeCnt: '1' });
      await shared.hsetAll('cnt:4', { likeCnt: 2 });
      expect(await near.hgetAll('cnt:4')).toEqual({ likeCnt: '2' });
    });

    /** statSetup with the shared level's hgetAll and hmgetAll calls counted. */
    const countedStatSetup = (localTtlMs: number) => {
      const t = statSetup(localTtlMs);
      const calls = { hgetAll: 0, hmgetAll: [] as string[][] };
      const hgetAll = t.shared.hgetAll.bind(t.shared);
      const hmgetAll = t.shared.hmgetAll.bind(t.shared);
      t.shared.hgetAll = (key: string) => (calls.hgetAll++, hgetAll(key));
      t.shared.hmgetAll = (keys: string[]) => (calls.hmgetAll.push(keys), hmgetAll(keys));
      return { ...t, calls };
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('when copies are read in the second half of their life, then they are still served while one call reads them all again', async () => {
      // Lifetimes of 160-240 ms (±20%): a read after 130 ms is in the second half of every copy's life.
      const { shared, near, calls } = countedStatSetup(200);
      await shared.hsetAll('cnt:a', { readCnt: 1 });
      await shared.hsetAll('cnt:b', { readCnt: 1 });
      await shared.hsetAll('cnt:c', { readCnt: 1 });
      for (const key of ['cnt:a', 'cnt:b', 'cnt:c']) await near.hgetAll(key);
      expect(calls.hgetAll).toBe(3);
      await near.hincrManyIfExists(['cnt:a', 'cnt:b', 'cnt:c'].map((key) => ({ key, field: 'readCnt', by: 5 })));
      await shared.del('cnt:c'); // expired in the shared cache meanwhile
      await sleep(130);
      expect(await near.hgetAll('cnt:a')).toEqual({ readCnt: '1' }); // served at once, refreshed behind
      expect(await near.hgetAll('cnt:b')).toEqual({ readCnt: '1' });
      expect(await near.hgetAll('cnt:a')).toEqual({ readCnt: '1' }); // asked for once only
      expect(await near.hgetAll('cnt:c')).toEqual({ readCnt: '1' });
      await sleep(40);
      expect(calls.hmgetAll).toEqual([['cnt:a', 'cnt:b', 'cnt:c']]);
      expect(await near.hgetAll('cnt:a')).toEqual({ readCnt: '6' });
      expect(await near.hgetAll('cnt:b')).toEqual({ readCnt: '6' });
      expect(calls.hgetAll).toBe(3); // both from the refreshed copies
      expect(await near.hgetAll('cnt:c')).toBeNull(); // its copy went with the key
      expect(calls.hgetAll).toBe(4);
      // The refreshed copies live a whole lifetime again: past the first copies' end, still local.
      await sleep(100);
      expect(await near.hgetAll('cnt:a')).toEqual({ readCnt: '6' });
      expect(calls.hgetAll).toBe(4);
    });

    it('when a copy is invalidated while its refresh is out, then the refresh does not bring the old value back', async () => {
      const { shared, bus, near, calls } = countedStatSetup(200);
      await shared.hsetAll('cnt:r', { likeCnt: 1 });
      await near.hgetAll('cnt:r');
      const hmgetAll = shared.hmgetAll.bind(shared);
      let answered!: () => void;
      const held = new Promise<void>((r) => (answered = r));
      shared.hmgetAll = async (keys: string[]) => {
        const hashes = await hmgetAll(keys); // read before the change below
        await held;
        return hashes;
      };
      await sleep(130);
      await near.hgetAll('cnt:r'); // asks for the refresh
      await sleep(40); // it is out now
      expect(calls.hmgetAll).toHaveLength(1);
      await shared.hsetAll('cnt:r', { likeCnt: 2 });
      bus.deliver('cnt:r');
      answered();
      await sleep(5);
      expect(await near.hgetAll('cnt:r')).toEqual({ likeCnt: '2' });
    });

    it('when its key is invalidated while a read is in flight, then the stale read is not kept', async () => {
      const { shared, bus, near } = statSetup();
      await shared.hsetAll('cnt:5', { likeCnt: 1 });
      const hgetAll = shared.hgetAll.bind(shared);
      shared.hgetAll = async (key: string) => {
        const hash = await hgetAll(key);
        await new Promise((r) => setTimeout(r, 10));
        return hash;
      };
      const inFlight = near.hgetAll('cnt:5');
      await shared.hsetAll('cnt:5', { likeCnt: 2 });
      bus.deliver('cnt:5');
      expect(await inFlight).toEqual({ likeCnt: '1' });
      expect(await near.hgetAll('cnt:5')).toEqual({ likeCnt: '2' });
    });
  });

  it('when many readers miss one key at once, then one shared read serves them all; after an invalidation a new one is made', async () => {
    const { shared, bus, near, stats } = slowSetup();
    await shared.set('session:hot', 'v1');
    const first = Promise.all(Array.from({ length: 50 }, () => near.get('session:hot')));
    await shared.set('session:hot', 'v2');
    bus.deliver('session:hot'); // while the first read is still out
    const after = await near.get('session:hot');
    expect(await first).toEqual(Array(50).fill('v1'));
    expect(after).toBe('v2');
    expect(stats.reads).toBe(2);
  });

  it('when a prefix has a lifetime of its own, then its copies live that long and the others the default', async () => {
    const shared = new MemoryCache();
    const near = new NearCache(shared, new ManualBus(), { prefixes: ['session:', 'user:'], localTtlMs: 40, localTtlMsOf: { 'user:': 60_000 } });
    await shared.set('session:s', 'v1');
    await shared.set('user:u', 'v1');
    await near.get('session:s');
    await near.get('user:u');
    await shared.set('session:s', 'v2'); // behind the near cache's back: only expiry shows it
    await shared.set('user:u', 'v2');
    await new Promise((r) => setTimeout(r, 70)); // past 48 ms, the longest the default allows (±20%)
    expect(await near.get('session:s')).toBe('v2');
    expect(await near.get('user:u')).toBe('v1');
  });

  it('when local copies outgrow the size bound, then the least recently used ones go', async () => {
    const shared = new MemoryCache();
    const near = new NearCache(shared, new ManualBus(), { prefixes: ['session:'], localTtlMs: 60_000, maxChars: 1000 });
    for (let i = 0; i < 5; i++) await shared.set(`session:${i}`, 'x'.repeat(300));
    for (let i = 0; i < 5; i++) await near.get(`session:${i}`);
    for (let i = 0; i < 5; i++) await shared.set(`session:${i}`, 'changed');
    // Only the last three fit in 1000 characters: the first two are read afresh.
    expect(await Promise.all([0, 1, 2, 3, 4].map((i) => near.get(`session:${i}`)))).toEqual(['changed', 'changed', 'x'.repeat(300), 'x'.repeat(300), 'x'.repeat(300)]);
  });

  describe('a fill that raced an invalidation', () => {
    it('when another key is invalidated meanwhile, then the fill is kept', async () => {
      const { shared, bus, near } = slowSetup();
      await shared.set('session:mine', 'v1');
      const fill = near.get('session:mine');
      bus.deliver('session:other');
      expect(await fill).toBe('v1');
      await shared.set('session:mine', 'v2'); // behind its back: a kept copy still answers v1
      expect(await near.get('session:mine')).toBe('v1');
    });

    it('when its own key is invalidated meanwhile, then the fill is not kept', async () => {
      const { shared, bus, near } = slowSetup();
      await shared.set('session:mine', 'v1');
      const fill = near.get('session:mine');
      bus.deliver('session:mine');
      expect(await fill).toBe('v1');
      await shared.set('session:mine', 'v2');
      expect(await near.get('session:mine')).toBe('v2');
    });

    it('when everything is invalidated meanwhile (resubscribe), then the fill is not kept', async () => {
      const { shared, bus, near } = slowSetup();
      await shared.set('session:mine', 'v1');
      const fill = near.get('session:mine');
      bus.deliver(null);
      await fill;
      await shared.set('session:mine', 'v2');
      expect(await near.get('session:mine')).toBe('v2');
    });
  });
});
