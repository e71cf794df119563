import { describe, expect, it } from 'vitest';
import { RateLimitedSms } from '../../src/modules/sms/ratelimit.sms.js';
import { SmsError } from '../../src/modules/sms/sms.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import { cacheKinds, freshCache } from '../support/backends.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';

const code = [{ name: 'code', value: '123456' }];

describe.each(cacheKinds)('rate-limit decorator on the %s limiter', (kind) => {
  const setup = () => {
    const clock = new ManualClock();
    const cache = freshCache(kind, { now: () => clock.now() });
    const vendor = new FakeSmsProvider();
    const sms = new RateLimitedSms(vendor, cache.limiter, { max: 3, windowMs: 1000 }, clock, `sms:test:${Math.random()}`);
    return { clock, cache, vendor, sms };
  };

  it('when sends stay within the window limit, then every one reaches the provider', async () => {
    const { cache, vendor, sms } = setup();
    for (let i = 0; i < 3; i++) await sms.send('login', code, `+861380000000${i}`);
    expect(vendor.sent).toHaveLength(3);
    await cache.close();
  });

  it('when the limit is reached, then the next send fails fast as rate_limited without calling the provider', async () => {
    const { cache, vendor, sms } = setup();
    for (let i = 0; i < 3; i++) await sms.send('login', code, '+8613800000000');
    const err = await sms.send('login', code, '+8613800000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    expect((err as SmsError).failure).toBe('rate_limited');
    expect(vendor.attempts).toBe(3);
    await cache.close();
  });

  it('when the window slides past the earlier sends, then sending is allowed again', async () => {
    const { clock, cache, vendor, sms } = setup();
    for (let i = 0; i < 3; i++) await sms.send('login', code, '+8613800000000');
    clock.advance(1001);
    await sms.send('login', code, '+8613800000000');
    expect(vendor.sent).toHaveLength(4);
    await cache.close();
  });

  it('when 20 sends race for a limit of 3, then exactly 3 reach the provider', async () => {
    const { cache, vendor, sms } = setup();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => sms.send('login', code, '+8613800000000')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(vendor.sent).toHaveLength(3);
    await cache.close();
  });
});
