import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKinds, freshCache, type CacheKind, type TestCache } from '../support/backends.js';

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

  it('answers ping', async () => {
    await expect(t.cache.ping()).resolves.toBeUndefined();
  });
});
