import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCodeStore } from '../../src/modules/code/code.memory-store.js';
import { RedisCodeStore } from '../../src/modules/code/code.redis-store.js';
import { DEFAULT_CODE_RULES, type CodeStore } from '../../src/modules/code/code.store.js';
import { cacheKinds, freshCache, type CacheKind, type TestCache } from '../support/backends.js';

const T0 = 1_800_000_000_000;
const { ttlMs, resendAfterMs } = DEFAULT_CODE_RULES;
const KEY = 'login:13800138000';

function storeOf(kind: CacheKind, cache: TestCache): CodeStore {
  return kind === 'memory' ? new MemoryCodeStore() : new RedisCodeStore(cache.redis[0]!);
}

describe.each(cacheKinds)('one-time code store contract: %s', (kind) => {
  let cache: TestCache;
  let store: CodeStore;
  beforeEach(() => {
    cache = freshCache(kind);
    store = storeOf(kind, cache);
  });
  afterEach(async () => cache.close());

  it('when the right code is given, then it verifies once and is consumed', async () => {
    expect(await store.set(KEY, '123456', T0)).toBe('stored');
    expect(await store.verify(KEY, '123456', T0 + 1)).toBe('ok');
    expect(await store.verify(KEY, '123456', T0 + 2)).toBe('expired');
  });

  it('when no code was ever set, then verify answers expired', async () => {
    expect(await store.verify(KEY, '123456', T0)).toBe('expired');
  });

  it('when a second code is asked for within a minute, then it is refused until the minute is over, even after use', async () => {
    await store.set(KEY, '111111', T0);
    expect(await store.set(KEY, '222222', T0 + resendAfterMs - 1)).toBe('too_frequent');
    expect(await store.verify(KEY, '111111', T0 + 10)).toBe('ok');
    expect(await store.set(KEY, '222222', T0 + resendAfterMs - 1)).toBe('too_frequent');
    expect(await store.set(KEY, '333333', T0 + resendAfterMs)).toBe('stored');
    expect(await store.verify(KEY, '111111', T0 + resendAfterMs + 1)).toBe('wrong');
    expect(await store.verify(KEY, '333333', T0 + resendAfterMs + 2)).toBe('ok');
  });

  it('when three wrong codes were tried, then the right one never succeeds', async () => {
    await store.set(KEY, '123456', T0);
    for (const wrong of ['000000', '111111', '222222']) expect(await store.verify(KEY, wrong, T0 + 1)).toBe('wrong');
    expect(await store.verify(KEY, '123456', T0 + 2)).toBe('too_many_tries');
    expect(await store.verify(KEY, '123456', T0 + 3)).toBe('too_many_tries');
  });

  it('when two wrong codes were tried, then the right one still succeeds', async () => {
    await store.set(KEY, '123456', T0);
    for (const wrong of ['000000', '111111']) expect(await store.verify(KEY, wrong, T0 + 1)).toBe('wrong');
    expect(await store.verify(KEY, '123456', T0 + 2)).toBe('ok');
  });

  it('when ten minutes have passed, then the code has expired', async () => {
    await store.set(KEY, '123456', T0);
    await store.set('login:other', '654321', T0);
    expect(await store.verify('login:other', '654321', T0 + ttlMs - 1)).toBe('ok');
    expect(await store.verify(KEY, '123456', T0 + ttlMs)).toBe('expired');
  });

  it('when the unsent code is discarded, then it no longer verifies and a new one may be set at once', async () => {
    await store.set(KEY, '123456', T0);
    await store.discard(KEY, '123456');
    expect(await store.verify(KEY, '123456', T0 + 1)).toBe('expired');
    expect(await store.set(KEY, '654321', T0 + 2)).toBe('stored');
  });

  it('when another code is discarded, then the stored one is untouched', async () => {
    await store.set(KEY, '123456', T0);
    await store.discard(KEY, '999999');
    expect(await store.set(KEY, '654321', T0 + 1)).toBe('too_frequent');
    expect(await store.verify(KEY, '123456', T0 + 2)).toBe('ok');
  });

  it('when phones or businesses differ, then their codes are independent', async () => {
    await store.set(KEY, '123456', T0);
    expect(await store.set('login:13900139000', '123456', T0)).toBe('stored');
    expect(await store.set('bind:13800138000', '123456', T0)).toBe('stored');
    expect(await store.verify('bind:13800138000', '123456', T0)).toBe('ok');
    expect(await store.verify(KEY, '123456', T0)).toBe('ok');
  });

  it('when 100 sets race for one key, then exactly one is stored', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.set(KEY, String(i).padStart(6, '0'), T0 + (i % 5))));
    expect(results.filter((r) => r === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r === 'too_frequent')).toHaveLength(99);
  });

  it('when 100 verifies with the right code race, then exactly one succeeds', async () => {
    await store.set(KEY, '123456', T0);
    const results = await Promise.all(Array.from({ length: 100 }, () => store.verify(KEY, '123456', T0 + 1)));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'expired')).toHaveLength(99);
  });

  it('when 100 wrong codes race and then the right one comes, then exactly three count as tries and the right one fails', async () => {
    await store.set(KEY, '123456', T0);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.verify(KEY, String(i).padStart(6, '7'), T0 + 1)));
    expect(results.filter((r) => r === 'wrong')).toHaveLength(3);
    expect(results.filter((r) => r === 'too_many_tries')).toHaveLength(97);
    expect(await store.verify(KEY, '123456', T0 + 2)).toBe('too_many_tries');
  });

  it('when right and wrong codes race, then at most one succeeds and never after three wrong ones', async () => {
    for (let round = 0; round < 20; round++) {
      const key = `login:race${round}`;
      await store.set(key, '123456', T0);
      const attempts = Array.from({ length: 10 }, (_, i) => (i % 3 === round % 3 ? '123456' : `00000${i}`));
      const results = await Promise.all(attempts.map((code) => store.verify(key, code, T0 + 1)));
      const wrongBeforeOk = results.slice(0, Math.max(0, results.indexOf('ok'))).filter((r) => r === 'wrong').length;
      expect(results.filter((r) => r === 'ok').length).toBeLessThanOrEqual(1);
      expect(results.filter((r) => r === 'wrong').length).toBeLessThanOrEqual(3);
      expect(wrongBeforeOk).toBeLessThanOrEqual(3);
    }
  });
});
