import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/pkg/ratelimit/memory-limiter.js';

const T0 = 1_800_000_000_000;
const rule = { max: 2, windowMs: 1000 };

// What only the in-process adapter has: a bound on the keys it remembers (the shared
// behaviour is in test/contract/ratelimit.contract.test.ts).
describe('in-process rate limiter: memory bound', () => {
  it('when more keys are hit than it holds, then the least recently hit key is forgotten first', async () => {
    const limiter = new MemoryRateLimiter({ maxKeys: 2 });
    for (const key of ['a', 'a', 'b', 'b']) await limiter.hit(key, rule, T0);
    await limiter.hit('a', rule, T0); // denied, but a is now the most recently hit
    await limiter.hit('c', rule, T0); // evicts b

    expect((await limiter.hit('a', rule, T0)).allowed).toBe(false);
    expect(await limiter.hit('b', rule, T0)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
  });

  it('when a key comes back after its window, then its old hits no longer count', async () => {
    const limiter = new MemoryRateLimiter();
    for (let i = 0; i < 2; i++) await limiter.hit('k', rule, T0);
    expect((await limiter.hit('k', rule, T0 + 999)).allowed).toBe(false);
    expect(await limiter.hit('k', rule, T0 + 5000)).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
  });

  it('when a busy key wraps its log around many times, with the clock stepping back now and then, then every decision is the one a plain sorted log gives', async () => {
    const limiter = new MemoryRateLimiter();
    const busy = { max: 300, windowMs: 1000 };
    // The reference: every allowed time kept in a sorted array.
    let kept: number[] = [];
    let now = T0;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      now += random() < 0.02 ? -Math.floor(random() * 50) : Math.floor(random() * 8); // sometimes back, up to 50 ms
      kept = kept.filter((t) => t > now - busy.windowMs);
      const expected =
        kept.length >= busy.max
          ? { allowed: false, remaining: 0, retryAfterMs: kept[0]! + busy.windowMs - now }
          : { allowed: true, remaining: busy.max - kept.length - 1, retryAfterMs: 0 };
      if (expected.allowed) kept = [...kept, now].sort((a, b) => a - b);
      expect(await limiter.hit('k', busy, now)).toEqual(expected);
    }
  });
});

