import { afterEach, describe, expect, it } from 'vitest';
import { cacheKinds, freshCache, type TestCache } from '../support/backends.js';
import { eventually } from '../support/eventually.js';

const hasRedis = cacheKinds.includes('redis');

/** The near cache as production runs it: two instances, one Redis, pub/sub in between. */
describe.skipIf(!hasRedis)('near cache over Redis pub/sub (needs WEBOOK_TEST_REDIS_URL; CI sets it)', () => {
  const opened: TestCache[] = [];
  afterEach(async () => {
    for (const t of opened.splice(0).reverse()) await t.close();
  });
  const pair = async () => {
    const a = freshCache('redis', { near: true });
    const b = freshCache('redis', { near: true, prefix: a.prefix });
    opened.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    return { a, b };
  };

  it('when one instance writes a near key, then the other drops its local copy', async () => {
    const { a, b } = await pair();
    await a.cache.set('session:s1', 'active', 60_000);
    expect(await b.cache.get('session:s1')).toBe('active'); // now local on b
    await a.cache.set('session:s1', 'revoked', 60_000);
    await eventually(async () => expect(await b.cache.get('session:s1')).toBe('revoked'));
  });

  it('when one instance writes a near key, then the other drops its decoded copy with it', async () => {
    const { a, b } = await pair();
    const decode = (raw: string) => ({ v: raw });
    await a.cache.set('user:info:2', 'first', 60_000);
    // Kept locally on b (once a's invalidation has passed), decoded once.
    await eventually(async () => expect(await b.cache.getDecoded('user:info:2', decode)).toBe(await b.cache.getDecoded('user:info:2', decode)));
    expect(await b.cache.getDecoded('user:info:2', decode)).toEqual({ v: 'first' });
    await a.cache.set('user:info:2', 'second', 60_000);
    await eventually(async () => expect(await b.cache.getDecoded('user:info:2', decode)).toEqual({ v: 'second' }));
  });

  it('when Redis changes behind its back, then an instance serves its local copy (the level is real)', async () => {
    const { b } = await pair();
    const raw = b.redis[0]!; // writes through it publish nothing
    await raw.set('user:info:1', '{"v":1}');
    expect(await b.cache.get('user:info:1')).toBe('{"v":1}');
    await raw.set('user:info:1', '{"v":2}');
    expect(await b.cache.get('user:info:1')).toBe('{"v":1}');
  });

  it('when the subscription drops, then the instance reads through until it is back', async () => {
    const { a, b } = await pair();
    await a.cache.set('session:s2', 'active', 60_000);
    expect(await b.cache.get('session:s2')).toBe('active');
    const subscriber = b.redis[1]!;
    subscriber.disconnect(true); // reconnects by itself
    await b.redis[0]!.set('session:s2', 'revoked'); // raw: would be missed while down
    await eventually(async () => expect(await b.cache.get('session:s2')).toBe('revoked'));
    await subscriber.ping().catch(() => undefined);
    await b.ready();
    await a.cache.set('session:s2', 'active', 60_000);
    await eventually(async () => expect(await b.cache.get('session:s2')).toBe('active'));
  });
});
