import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKinds, freshCache, type CacheKind, type TestCache } from '../support/backends.js';
import { eventually } from '../support/eventually.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every adapter, and Redis also as production composes it: a near cache in front. */
type Variant = { name: string; kind: CacheKind; near: boolean };
const variants: Variant[] = cacheKinds.flatMap((kind): Variant[] =>
  kind === 'redis'
    ? [
        { name: 'redis', kind, near: false },
        { name: 'redis + near cache', kind, near: true },
      ]
    : [{ name: kind, kind, near: false }],
);

describe.each(variants)('cache contract: $name', ({ kind, near }) => {
  let t: TestCache;
  beforeEach(() => {
    t = freshCache(kind, { near });
  });
  afterEach(async () => t.close());

  it('when a key was never set, then get is null and ttl is -2', async () => {
    expect(await t.cache.get('nope')).toBeNull();
    expect(await t.cache.ttl('nope')).toBe(-2);
  });

  it('when a value is set without ttl, then it reads back and has no expiry', async () => {
    await t.cache.set('k', 'v');
    expect(await t.cache.get('k')).toBe('v');
    expect(await t.cache.ttl('k')).toBe(-1);
  });

  it('when a ttl passes, then the key is gone', async () => {
    await t.cache.set('short', 'v', 60);
    expect(await t.cache.get('short')).toBe('v');
    const ttl = await t.cache.ttl('short');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    await sleep(120);
    expect(await t.cache.get('short')).toBeNull();
  });

  it('when mget asks for present and absent keys, then it answers in order', async () => {
    await t.cache.set('a', '1');
    await t.cache.set('c', '3');
    expect(await t.cache.mget(['a', 'b', 'c'])).toEqual(['1', null, '3']);
    expect(await t.cache.mget([])).toEqual([]);
  });

  it('when setIfAbsent races, then exactly one caller creates the key', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.cache.setIfAbsent('once', String(i), 5000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await t.cache.get('once')).toBe(String(winner));
  });

  it('when del removes keys, then it counts only those that existed', async () => {
    await t.cache.set('x', '1');
    await t.cache.set('y', '2');
    expect(await t.cache.del('x', 'y', 'z')).toBe(2);
    expect(await t.cache.get('x')).toBeNull();
    expect(await t.cache.del()).toBe(0);
  });

  it('when many increments race, then none is lost, and the ttl is set only on creation', async () => {
    await Promise.all(Array.from({ length: 100 }, () => t.cache.incrBy('n', 1, 10_000)));
    expect(await t.cache.get('n')).toBe('100');
    const ttl = await t.cache.ttl('n');
    expect(ttl).toBeGreaterThan(9_000);
    await t.cache.set('plain', '5');
    expect(await t.cache.incrBy('plain', 3, 10_000)).toBe(8);
    expect(await t.cache.ttl('plain')).toBe(-1); // an existing key keeps its (absent) ttl
  });

  it('when set overwrites, then the new value and the new ttl win', async () => {
    await t.cache.set('o', 'old', 50);
    await t.cache.set('o', 'new');
    expect(await t.cache.get('o')).toBe('new');
    expect(await t.cache.ttl('o')).toBe(-1);
  });

  describe('decoded reads', () => {
    // Under a near-cached prefix, so the production composition keeps it locally.
    const key = 'user:info:decoded';
    const counting = () => {
      const calls: string[] = [];
      const decode = (raw: string) => {
        calls.push(raw);
        return { parsed: JSON.parse(raw) as unknown };
      };
      return { decode, calls };
    };
    /** The adapters that hold values in this process keep the decoded form; bare Redis decodes every time. */
    const keepsDecoded = kind === 'memory' || near;

    it('when the key is missing, then getDecoded is null and nothing is decoded', async () => {
      const { decode, calls } = counting();
      expect(await t.cache.getDecoded(key, decode)).toBeNull();
      expect(calls).toEqual([]);
    });

    it('when a value is read decoded again and again, then each read answers its decoded form (decoded once where values are held here)', async () => {
      const { decode, calls } = counting();
      await t.cache.set(key, '{"v":1}', 60_000);
      const first = await t.cache.getDecoded(key, decode);
      expect(first).toEqual({ parsed: { v: 1 } });
      if (!keepsDecoded) {
        expect(await t.cache.getDecoded(key, decode)).toEqual(first);
        expect(calls).toHaveLength(2);
        return;
      }
      // The near cache keeps a copy once its own write's invalidation has come back.
      await eventually(async () => expect(await t.cache.getDecoded(key, decode)).toBe(await t.cache.getDecoded(key, decode)));
      const decodedSoFar = calls.length;
      const kept = await t.cache.getDecoded(key, decode);
      for (let i = 0; i < 3; i++) expect(await t.cache.getDecoded(key, decode)).toBe(kept);
      expect(calls).toHaveLength(decodedSoFar);
      if (kind === 'memory') expect(decodedSoFar).toBe(1);
    });

    it('when the value changes or goes, then the next decoded read follows it', async () => {
      const { decode } = counting();
      await t.cache.set(key, '{"v":1}', 60_000);
      expect(await t.cache.getDecoded(key, decode)).toEqual({ parsed: { v: 1 } });
      await t.cache.set(key, '{"v":2}', 60_000);
      expect(await t.cache.getDecoded(key, decode)).toEqual({ parsed: { v: 2 } });
      await t.cache.del(key);
      expect(await t.cache.getDecoded(key, decode)).toBeNull();
      // Expiry on a key outside the near-cached prefixes: a near copy may outlive a shared
      // key's TTL by its own few seconds (near-cache.ts), so only there is expiry exact.
      const short = 'decoded:short';
      await t.cache.set(short, '{"v":3}', 40);
      expect(await t.cache.getDecoded(short, decode)).toEqual({ parsed: { v: 3 } });
      await sleep(100);
      expect(await t.cache.getDecoded(short, decode)).toBeNull();
    });

    it('when two decoders read one key, then each gets its own form', async () => {
      await t.cache.set(key, '{"v":1}', 60_000);
      const asText = (raw: string) => `text:${raw}`;
      const asLength = (raw: string) => raw.length;
      expect(await t.cache.getDecoded(key, asText)).toBe('text:{"v":1}');
      expect(await t.cache.getDecoded(key, asLength)).toBe(7);
      expect(await t.cache.getDecoded(key, asText)).toBe('text:{"v":1}');
    });

    it('when the key holds a hash, then getDecoded fails as WRONGTYPE, as get does', async () => {
      await t.cache.hsetAll('hash:decoded', { a: 1 });
      await expect(t.cache.getDecoded('hash:decoded', (raw) => raw)).rejects.toThrow(/WRONGTYPE/);
    });
  });

  describe('held reads (synchronous, from this process alone)', () => {
    // Under near-cached prefixes (ioc/backends.ts), so the production composition may hold them.
    const key = 'user:info:held';
    const hashKey = 'interactive:article:held';
    const decode = (raw: string) => ({ parsed: JSON.parse(raw) as unknown });

    it('when a held read answers, then it answers what the async read answers; the memory cache always answers, bare Redis never', async () => {
      await t.cache.set(key, '{"v":1}', 60_000);
      await t.cache.hsetAll(hashKey, { readCnt: 3 }, 60_000);
      // Reads through, so the near cache can keep its copies (once its own writes' invalidations are back).
      await eventually(async () => {
        await t.cache.get(key);
        await t.cache.hgetAll(hashKey);
        if (near) expect(t.cache.held.get(key)).toBeDefined();
        if (near) expect(t.cache.held.hgetAll(hashKey)).toBeDefined();
      });
      const answers = [t.cache.held.get(key), t.cache.held.getDecoded(key, decode), t.cache.held.hgetAll(hashKey), t.cache.held.get('user:info:never-set')];
      if (kind === 'memory') expect(answers).toEqual(['{"v":1}', { parsed: { v: 1 } }, { readCnt: '3' }, null]);
      else if (near) expect(answers).toEqual(['{"v":1}', { parsed: { v: 1 } }, { readCnt: '3' }, undefined]); // a miss only Redis can tell
      else expect(answers).toEqual([undefined, undefined, undefined, undefined]);
      // The decoded form is the one the async read hands out.
      if (kind === 'memory' || near) expect(t.cache.held.getDecoded(key, decode)).toBe(await t.cache.getDecoded(key, decode));
    });

    it('when the value changes or goes, then no held read answers the old one', async () => {
      await t.cache.set(key, 'old', 60_000);
      await eventually(async () => {
        await t.cache.get(key);
        if (near) expect(t.cache.held.get(key)).toBe('old');
      });
      await t.cache.set(key, 'new', 60_000);
      expect([undefined, 'new']).toContain(t.cache.held.get(key));
      await t.cache.del(key);
      expect([undefined, null]).toContain(t.cache.held.get(key));
      if (kind === 'memory') expect(t.cache.held.get(key)).toBeNull();
    });

    it('when a key holds the other kind, then a held read fails as WRONGTYPE where it answers at all', async () => {
      await t.cache.hsetAll('interactive:article:held-kind', { n: 1 });
      await t.cache.set('user:info:held-kind', 'x');
      if (kind !== 'memory') return; // held reads that answer nothing cannot clash; the near cache keeps strings and hashes under distinct prefixes
      expect(() => t.cache.held.get('interactive:article:held-kind')).toThrow(/^WRONGTYPE/);
      expect(() => t.cache.held.hgetAll('user:info:held-kind')).toThrow(/^WRONGTYPE/);
    });
  });

  describe('hashes', () => {
    it('when a hash key was never set, then hgetAll is null', async () => {
      expect(await t.cache.hgetAll('cnt:none')).toBeNull();
      expect(await t.cache.ttl('cnt:none')).toBe(-2);
    });

    it('when fields are set, then they read back as strings', async () => {
      await t.cache.hsetAll('cnt:1', { readCnt: 3, likeCnt: '0', collectCnt: 12 });
      expect(await t.cache.hgetAll('cnt:1')).toEqual({ readCnt: '3', likeCnt: '0', collectCnt: '12' });
      expect(await t.cache.ttl('cnt:1')).toBe(-1);
    });

    it('when a field is named __proto__, then it reads back as a field like any other', async () => {
      await t.cache.hsetAll('cnt:proto', JSON.parse('{"__proto__":"1","a":"2"}') as Record<string, string>);
      const [read] = await t.cache.hmgetAll(['cnt:proto']);
      for (const hash of [await t.cache.hgetAll('cnt:proto'), read]) {
        expect(Object.getPrototypeOf(hash)).toBe(Object.prototype);
        expect(Object.entries(hash!)).toEqual(expect.arrayContaining([['__proto__', '1'], ['a', '2']]));
      }
    });

    it('when fields are set on an existing hash, then they merge and others stay', async () => {
      await t.cache.hsetAll('cnt:2', { readCnt: 1, likeCnt: 2 });
      await t.cache.hsetAll('cnt:2', { likeCnt: 5, collectCnt: 7 });
      expect(await t.cache.hgetAll('cnt:2')).toEqual({ readCnt: '1', likeCnt: '5', collectCnt: '7' });
    });

    it('when no fields are given, then nothing is created', async () => {
      await t.cache.hsetAll('cnt:empty', {}, 10_000);
      expect(await t.cache.hgetAll('cnt:empty')).toBeNull();
      expect(await t.cache.ttl('cnt:empty')).toBe(-2);
    });

    it('when a ttl is given, then it is applied and the hash expires; without one an existing ttl stays', async () => {
      await t.cache.hsetAll('cnt:short', { readCnt: 1 }, 80);
      const ttl = await t.cache.ttl('cnt:short');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(80);
      await t.cache.hsetAll('cnt:short', { likeCnt: 1 }); // merge without ttl keeps it
      expect(await t.cache.ttl('cnt:short')).toBeGreaterThan(0);
      await sleep(160);
      expect(await t.cache.hgetAll('cnt:short')).toBeNull();
      expect(await t.cache.hincrByIfExists('cnt:short', 'readCnt', 1)).toBe(false);

      await t.cache.hsetAll('cnt:long', { readCnt: 1 });
      await t.cache.hsetAll('cnt:long', { readCnt: 2 }, 10_000); // a ttl given later is set
      expect(await t.cache.ttl('cnt:long')).toBeGreaterThan(9_000);
    });

    it('when the hash is missing, then hincrByIfExists answers false and creates nothing', async () => {
      expect(await t.cache.hincrByIfExists('cnt:missing', 'likeCnt', 1)).toBe(false);
      expect(await t.cache.hgetAll('cnt:missing')).toBeNull();
      expect(await t.cache.ttl('cnt:missing')).toBe(-2);
    });

    it('when the hash exists, then hincrByIfExists adds to the field (a new field from 0) and keeps the ttl', async () => {
      await t.cache.hsetAll('cnt:3', { readCnt: 10, likeCnt: 4 }, 10_000);
      expect(await t.cache.hincrByIfExists('cnt:3', 'readCnt', 1)).toBe(true);
      expect(await t.cache.hincrByIfExists('cnt:3', 'likeCnt', -1)).toBe(true);
      expect(await t.cache.hincrByIfExists('cnt:3', 'collectCnt', 2)).toBe(true);
      expect(await t.cache.hgetAll('cnt:3')).toEqual({ readCnt: '11', likeCnt: '3', collectCnt: '2' });
      expect(await t.cache.ttl('cnt:3')).toBeGreaterThan(9_000);
    });

    it('when many hashes are incremented in one call, then the existing ones change, the missing stay missing, and the count says how many', async () => {
      await t.cache.hsetAll('cnt:m1', { readCnt: 1 }, 10_000);
      await t.cache.hsetAll('cnt:m2', { readCnt: 5, likeCnt: 2 });
      const applied = await t.cache.hincrManyIfExists([
        { key: 'cnt:m1', field: 'readCnt', by: 3 },
        { key: 'cnt:gone', field: 'readCnt', by: 3 },
        { key: 'cnt:m2', field: 'likeCnt', by: -1 },
        { key: 'cnt:m2', field: 'collectCnt', by: 7 },
      ]);
      expect(applied).toBe(3);
      expect(await t.cache.hgetAll('cnt:m1')).toEqual({ readCnt: '4' });
      expect(await t.cache.hgetAll('cnt:m2')).toEqual({ readCnt: '5', likeCnt: '1', collectCnt: '7' });
      expect(await t.cache.hgetAll('cnt:gone')).toBeNull();
      expect(await t.cache.ttl('cnt:m1')).toBeGreaterThan(9_000);
      expect(await t.cache.hincrManyIfExists([])).toBe(0);
    });

    it('when a batch is longer than one script call takes, then every change still lands once', async () => {
      await t.cache.hsetAll('cnt:long-batch', { readCnt: 0 });
      const changes = Array.from({ length: 1_200 }, () => ({ key: 'cnt:long-batch', field: 'readCnt', by: 1 }));
      const results = await Promise.all([t.cache.hincrManyIfExists(changes), t.cache.hincrManyIfExists(changes)]);
      expect(results).toEqual([1_200, 1_200]);
      expect(await t.cache.hgetAll('cnt:long-batch')).toEqual({ readCnt: '2400' });
    });

    it('when one increment of a batch is not an integer, then the call fails and changes nothing', async () => {
      await t.cache.hsetAll('cnt:checked', { readCnt: 1 });
      const changes = [...Array.from({ length: 600 }, () => ({ key: 'cnt:checked', field: 'readCnt', by: 1 })), { key: 'cnt:checked', field: 'readCnt', by: 0.5 }];
      await expect(t.cache.hincrManyIfExists(changes)).rejects.toThrow(/not an integer/);
      expect(await t.cache.hgetAll('cnt:checked')).toEqual({ readCnt: '1' });
    });

    it('when a read comes from the event loop while a long batch of increments is under way, then it does not wait for the whole batch', async () => {
      // The read counter's batches share the process (and on Redis the connection) with the
      // requests' reads: a request read from its socket meanwhile must not queue behind a whole batch.
      await t.cache.hsetAll('cnt:meanwhile', { readCnt: 0 });
      const batch = t.cache.hincrManyIfExists(Array.from({ length: 5_000 }, () => ({ key: 'cnt:meanwhile', field: 'readCnt', by: 1 })));
      const seenMeanwhile = await new Promise<number>((resolve, reject) => {
        setImmediate(() => t.cache.hgetAll('cnt:meanwhile').then((hash) => resolve(Number(hash!.readCnt)), reject));
      });
      expect(await batch).toBe(5_000);
      expect(seenMeanwhile).toBeLessThan(5_000);
      expect(await t.cache.hgetAll('cnt:meanwhile')).toEqual({ readCnt: '5000' });
    });

    it('when 200 increments race on an existing hash, then none is lost', async () => {
      await t.cache.hsetAll('cnt:race', { readCnt: 0 });
      const done = await Promise.all(Array.from({ length: 200 }, () => t.cache.hincrByIfExists('cnt:race', 'readCnt', 1)));
      expect(done.every(Boolean)).toBe(true);
      expect(await t.cache.hgetAll('cnt:race')).toEqual({ readCnt: '200' });
    });

    it('when hmgetAll asks for present and absent hashes, then it answers in order', async () => {
      await t.cache.hsetAll('cnt:a', { readCnt: 1 });
      await t.cache.hsetAll('cnt:c', { readCnt: 3, likeCnt: 1 });
      expect(await t.cache.hmgetAll(['cnt:a', 'cnt:b', 'cnt:c', 'cnt:a'])).toEqual([
        { readCnt: '1' },
        null,
        { readCnt: '3', likeCnt: '1' },
        { readCnt: '1' },
      ]);
      expect(await t.cache.hmgetAll([])).toEqual([]);
    });

    it('when a key holds the other kind, then the operation fails as WRONGTYPE, as Redis does', async () => {
      await t.cache.set('str', '1');
      await expect(t.cache.hgetAll('str')).rejects.toThrow(/WRONGTYPE/);
      await expect(t.cache.hmgetAll(['str'])).rejects.toThrow(/WRONGTYPE/);
      await expect(t.cache.hsetAll('str', { a: 1 })).rejects.toThrow(/WRONGTYPE/);
      await expect(t.cache.hincrByIfExists('str', 'a', 1)).rejects.toThrow(/WRONGTYPE/);
      expect(await t.cache.get('str')).toBe('1');
      expect(await t.cache.ttl('str')).toBe(-1); // the failed hsetAll changed nothing

      await t.cache.hsetAll('hash', { a: 1 });
      await expect(t.cache.get('hash')).rejects.toThrow(/WRONGTYPE/);
      await expect(t.cache.incrBy('hash', 1)).rejects.toThrow(/WRONGTYPE/);
      expect(await t.cache.mget(['hash', 'str'])).toEqual([null, '1']); // MGET reads a hash as null
      expect(await t.cache.del('hash')).toBe(1);
      expect(await t.cache.hgetAll('hash')).toBeNull();
    });
  });

  it('answers ping', async () => {
    await expect(t.cache.ping()).resolves.toBeUndefined();
  });
});
