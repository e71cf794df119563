import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
});
