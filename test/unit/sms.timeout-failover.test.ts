import { describe, expect, it } from 'vitest';
import { TimeoutFailoverSms } from '../../src/modules/sms/timeout-failover.sms.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';

const code = [{ name: 'code', value: '123456' }];

function setup(threshold = 3) {
  const a = new FakeSmsProvider('a');
  const b = new FakeSmsProvider('b');
  const switches: string[] = [];
  const sms = new TimeoutFailoverSms([a, b], threshold, (from, to) => switches.push(`${from}->${to}`));
  return { a, b, sms, switches };
}

const send = (sms: TimeoutFailoverSms) => sms.send('login', code, '+8613800000000').catch((e: unknown) => e);

describe('timeout-counting failover decorator', () => {
  it('when the current provider times out fewer than N times in a row, then it stays current', async () => {
    const { a, sms } = setup();
    a.failNext('timeout', 'timeout');
    await send(sms);
    await send(sms);
    expect(sms.currentProvider).toBe('a');
    await sms.send('login', code, '+8613800000000');
    expect(a.sent).toHaveLength(1);
  });

  it('when it times out N times in a row, then later sends go to the next provider', async () => {
    const { a, b, sms, switches } = setup();
    a.behave('timeout');
    for (let i = 0; i < 3; i++) await send(sms);
    expect(sms.currentProvider).toBe('b');
    await sms.send('login', code, '+8613800000000');
    expect(b.sent).toHaveLength(1);
    expect(switches).toEqual(['a->b']);
  });

  it('when a success comes between timeouts, then the count starts again', async () => {
    const { a, sms } = setup();
    a.failNext('timeout', 'timeout', 'ok', 'timeout', 'timeout');
    for (let i = 0; i < 5; i++) await send(sms);
    expect(sms.currentProvider).toBe('a');
  });

  it('when failures other than timeouts come, then they are passed up and do not count', async () => {
    const { a, sms } = setup(1);
    a.failNext('unavailable', 'rate_limited', 'rejected');
    const errors = [await send(sms), await send(sms), await send(sms)];
    expect(errors.map((e) => (e as { failure: string }).failure)).toEqual(['unavailable', 'rate_limited', 'rejected']);
    expect(sms.currentProvider).toBe('a');
  });

  it('when 50 sends in flight all time out together, then the provider switches exactly once', async () => {
    const { a, b, sms, switches } = setup(3);
    a.behave('hang');
    const inFlight = Array.from({ length: 50 }, () => send(sms));
    await new Promise((r) => setImmediate(r));
    a.release();
    await Promise.all(inFlight);
    expect(switches).toEqual(['a->b']);
    expect(sms.currentProvider).toBe('b');
    await sms.send('login', code, '+8613800000000');
    expect(b.sent).toHaveLength(1);
  });

  it('when the last provider times out N times, then it wraps around to the first', async () => {
    const { a, b, sms, switches } = setup(1);
    a.behave('timeout');
    b.behave('timeout');
    await send(sms);
    await send(sms);
    expect(switches).toEqual(['a->b', 'b->a']);
  });
});
