import { afterEach, describe, expect, it } from 'vitest';
import { InteractiveCache } from '../../src/modules/interactive/interactive.cache.js';
import { Biz } from '../../src/modules/interactive/interactive.domain.js';
import { cacheKinds, freshCache, type CacheKind, type TestCache } from '../support/backends.js';
import { eventually } from '../support/eventually.js';

const before = { liked: [1], collected: [] };
const after = { liked: [1, 2], collected: [3] };

/** Opens InteractiveCaches over caches of one kind, closed after each test; `prefix` shares another's keys. */
function opener(kind: CacheKind, near: boolean) {
  const opened: TestCache[] = [];
  afterEach(async () => {
    for (const t of opened.splice(0).reverse()) await t.close();
  });
  return async (prefix?: string) => {
    const t = freshCache(kind, { near, prefix });
    opened.push(t);
    await t.ready();
    return { cache: new InteractiveCache(t.cache), prefix: t.prefix };
  };
}

/**
 * A reader's marks are cached under their marks version (interactive.cache.ts): a fill that
 * read the database before a change must never be what a page reads after it.
 */
describe.each([...cacheKinds.map((kind) => ({ kind, near: false })), ...(cacheKinds.includes('redis') ? [{ kind: 'redis' as const, near: true }] : [])])(
  "a reader's marks on $kind (near: $near)",
  ({ kind, near }) => {
    const open = opener(kind, near);

    it('when a reader is first seen, then they get a version that stays until a change, and nothing is cached under it', async () => {
      const { cache } = await open();
      const version = await cache.marksVersion(Biz.article, 7);
      expect(version).toMatch(/^[\w-]{8}$/);
      expect(await cache.marksVersion(Biz.article, 7)).toBe(version);
      expect(await cache.marksVersion(Biz.comment, 7)).not.toBe(version); // per biz
      expect(await cache.marks(Biz.article, 7, version)).toBeUndefined();
    });

    it('when marks are filled, then they read back as sets; too many read back as null', async () => {
      const { cache } = await open();
      const version = await cache.marksVersion(Biz.article, 7);
      await cache.fillMarks(Biz.article, 7, version, after);
      expect(await cache.marks(Biz.article, 7, version)).toEqual({ liked: new Set([1, 2]), collected: new Set([3]) });
      await cache.fillMarks(Biz.article, 7, version, before); // the first fill of a version stays
      expect((await cache.marks(Biz.article, 7, version))?.liked.has(2)).toBe(true);

      const other = await cache.marksVersion(Biz.article, 8);
      await cache.fillMarks(Biz.article, 8, other, null);
      expect(await cache.marks(Biz.article, 8, other)).toBeNull();
    });

    it('when a fill read the database before a change but lands after it, then no page reads it', async () => {
      const { cache } = await open();
      const seen = await cache.marksVersion(Biz.article, 7); // a page starts, misses, reads the database...
      await cache.marksChanged(Biz.article, 7); // ...a like commits meanwhile...
      await cache.fillMarks(Biz.article, 7, seen, before); // ...and the page's fill lands late
      const now = await cache.marksVersion(Biz.article, 7);
      expect(now).not.toBe(seen);
      expect(await cache.marks(Biz.article, 7, now)).toBeUndefined(); // the next page reads the database
    });
  },
);

describe.skipIf(!cacheKinds.includes('redis'))('reader marks on two near-cached instances (needs WEBOOK_TEST_REDIS_URL; CI sets it)', () => {
  const open = opener('redis', true);

  it('when one instance records a change, then the other reads the new version', async () => {
    const a = await open();
    const b = await open(a.prefix);
    const first = await b.cache.marksVersion(Biz.article, 7); // kept locally on b
    await eventually(async () => expect(await a.cache.marksVersion(Biz.article, 7)).toBe(first));
    await a.cache.marksChanged(Biz.article, 7);
    const second = await a.cache.marksVersion(Biz.article, 7);
    expect(second).not.toBe(first);
    await eventually(async () => expect(await b.cache.marksVersion(Biz.article, 7)).toBe(second));
  });
});
