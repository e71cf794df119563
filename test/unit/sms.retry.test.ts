import { describe, expect, it } from 'vitest';
import { backoffDelay, RetryingSms, type RetryPolicy } from '../../src/modules/sms/retry.sms.js';
import { SmsError } from '../../src/modules/sms/sms.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };
const code = [{ name: 'code', value: '123456' }];

function retrying(vendor: FakeSmsProvider, random = () => 0.999) {
  const waits: number[] = [];
  const sms = new RetryingSms(vendor, policy, { sleep: async (ms) => void waits.push(ms), random });
  return { sms, waits };
}

describe('retry decorator', () => {
  it('when the provider times out twice and then accepts, then the send succeeds on the third try', async () => {
    const vendor = new FakeSmsProvider().failNext('timeout', 'unavailable');
    const { sms, waits } = retrying(vendor);
    await sms.send('login', code, '+8613800000000');
    expect(vendor.attempts).toBe(3);
    expect(vendor.sent).toHaveLength(1);
    expect(waits).toHaveLength(2);
  });

  it('when the provider keeps failing, then it stops after maxAttempts and the caller sees the last error', async () => {
    const vendor = new FakeSmsProvider().failNext('timeout', 'timeout', 'timeout').behave('rate_limited');
    const { sms } = retrying(vendor);
    const err = (await sms.send('login', code, '+8613800000000').catch((e: unknown) => e)) as SmsError;
    expect(vendor.attempts).toBe(4);
    expect(err.failure).toBe('rate_limited');
  });

  it('when the request is rejected, then it is not retried', async () => {
    const vendor = new FakeSmsProvider().behave('rejected');
    const { sms, waits } = retrying(vendor);
    await expect(sms.send('login', code, 'not-a-number')).rejects.toMatchObject({ failure: 'rejected' });
    expect(vendor.attempts).toBe(1);
    expect(waits).toEqual([]);
  });

  it('when something that is not an SmsError is thrown, then it is not retried', async () => {
    const broken = { name: 'broken', attempts: 0, send: async () => { broken.attempts++; throw new TypeError('bug'); } };
    const sms = new RetryingSms(broken, policy, { sleep: async () => {} });
    await expect(sms.send('login', code, '+8613800000000')).rejects.toBeInstanceOf(TypeError);
    expect(broken.attempts).toBe(1);
  });

  it('when waits grow, then they double from the base and never pass the cap', async () => {
    const vendor = new FakeSmsProvider().behave('unavailable');
    const { sms, waits } = retrying(vendor);
    await sms.send('login', code, '+8613800000000').catch(() => {});
    // random() just under 1: each wait is just under its ceiling of 100, 200, then the cap 250.
    expect(waits).toEqual([99, 199, 249]);
  });

  it('when jitter is drawn, then each wait lies in [0, ceiling)', () => {
    for (let n = 1; n <= 6; n++) {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      expect(backoffDelay(policy, n, () => 0)).toBe(0);
      const d = backoffDelay(policy, n, Math.random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(ceiling);
    }
  });
});
