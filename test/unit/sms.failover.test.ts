import { describe, expect, it } from 'vitest';
import { RoundRobinFailoverSms } from '../../src/modules/sms/failover.sms.js';
import type { SmsError } from '../../src/modules/sms/sms.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';

const code = [{ name: 'code', value: '123456' }];
const vendors = () => [new FakeSmsProvider('a'), new FakeSmsProvider('b'), new FakeSmsProvider('c')];

describe('round-robin failover decorator', () => {
  it('when every provider is healthy, then consecutive sends start at the next provider in turn', async () => {
    const [a, b, c] = vendors();
    const sms = new RoundRobinFailoverSms([a!, b!, c!]);
    for (let i = 0; i < 6; i++) await sms.send('login', code, '+8613800000000');
    expect([a!.sent.length, b!.sent.length, c!.sent.length]).toEqual([2, 2, 2]);
  });

  it('when concurrent sends start together, then they are spread over the providers', async () => {
    const [a, b, c] = vendors();
    const sms = new RoundRobinFailoverSms([a!, b!, c!]);
    await Promise.all(Array.from({ length: 30 }, () => sms.send('login', code, '+8613800000000')));
    expect([a!.sent.length, b!.sent.length, c!.sent.length]).toEqual([10, 10, 10]);
  });

  it('when the provider in turn times out, then the next one delivers the message', async () => {
    const [a, b, c] = vendors();
    a!.behave('timeout');
    const sms = new RoundRobinFailoverSms([a!, b!, c!]);
    await sms.send('login', code, '+8613800000000');
    expect(a!.attempts).toBe(1);
    expect(b!.sent).toHaveLength(1);
    expect(c!.attempts).toBe(0);
  });

  it('when every provider fails, then the error names each provider and the failure', async () => {
    const [a, b, c] = vendors();
    a!.behave('timeout');
    b!.behave('unavailable');
    c!.behave('rate_limited');
    const err = (await new RoundRobinFailoverSms([a!, b!, c!]).send('login', code, '+86').catch((e: unknown) => e)) as SmsError;
    expect(err.failure).toBe('unavailable');
    expect(err.message).toMatch(/a: timeout.*b: unavailable.*c: rate_limited/);
  });

  it('when every provider throttles, then the combined failure stays rate_limited (so it can be queued)', async () => {
    const all = vendors().map((v) => v.behave('rate_limited'));
    const err = (await new RoundRobinFailoverSms(all).send('login', code, '+86').catch((e: unknown) => e)) as SmsError;
    expect(err.failure).toBe('rate_limited');
  });

  it('when a provider rejects the message, then it is not tried elsewhere', async () => {
    const [a, b, c] = vendors();
    a!.behave('rejected');
    await expect(new RoundRobinFailoverSms([a!, b!, c!]).send('login', code, 'bad')).rejects.toMatchObject({ failure: 'rejected', provider: 'a' });
    expect(b!.attempts + c!.attempts).toBe(0);
  });
});
