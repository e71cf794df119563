import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallerToken } from '../../src/modules/sms/auth.sms.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import { freshDatabase } from '../support/backends.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';
import { smsStack } from '../support/fake-sms-stack.js';

const code = [{ name: 'code', value: '482913' }];
const callerSecret = 'sms-caller-secret-0123456789-abcdefghij';

/** The decorators as createSmsModule composes them: [auth] -> [async] -> rate limit -> retry -> failover -> providers. */
describe('the composed SMS stack', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase('sqlite');
  });
  afterAll(async () => {
    await db.drop();
  });
  const clean = () => db.database.db.deleteFrom('sms_requests').execute();

  it('when a provider fails once, then retry and failover deliver the message through the other provider without queueing', async () => {
    await clean();
    const a = new FakeSmsProvider('a').failNext('unavailable');
    const b = new FakeSmsProvider('b').failNext('timeout');
    const { sms } = smsStack({ db: db.database.db, clock: new ManualClock(), providers: [a, b] });
    await sms.service.send('login_code', code, '+8613800000000');
    expect([...a.sent, ...b.sent]).toHaveLength(1);
    expect(await sms.queue.countByStatus()).toEqual({ pending: 0, failed: 0 });
  });

  it('when sends pass our own rate limit, then the excess is queued (not lost, not failed) and resent once the window passes', async () => {
    await clean();
    const clock = new ManualClock();
    const vendor = new FakeSmsProvider();
    const { sms } = smsStack({ db: db.database.db, clock, providers: [vendor], config: { rateLimit: { max: 2, windowMs: 1000 } } });
    for (let i = 0; i < 5; i++) await sms.service.send('login_code', code, `+861380000000${i}`);
    expect(vendor.sent).toHaveLength(2);
    expect(await sms.queue.countByStatus()).toEqual({ pending: 3, failed: 0 });
    clock.advance(1000);
    // The resender goes through the same limiter: two now, the last one in the next window.
    expect(await sms.resender.runOnce(clock.now())).toMatchObject({ claimed: 3, sent: 2, rescheduled: 1 });
    clock.advance(10_000);
    expect(await sms.resender.runOnce(clock.now())).toMatchObject({ sent: 1 });
    expect(vendor.sent.flatMap((s) => s.numbers).sort()).toEqual(['0', '1', '2', '3', '4'].map((i) => `+861380000000${i}`));
  });

  it('when the timeout flavour is configured, then N timeouts in a row move later sends to the next provider', async () => {
    await clean();
    const a = new FakeSmsProvider('a').behave('timeout');
    const b = new FakeSmsProvider('b');
    const { sms, logs } = smsStack({
      db: db.database.db,
      clock: new ManualClock(),
      providers: [a, b],
      config: { failover: { mode: 'timeout', timeoutThreshold: 2 }, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    });
    for (let i = 0; i < 3; i++) await sms.service.send('login_code', code, '+8613800000000');
    expect(a.attempts).toBe(2); // two timeouts (queued), then the switch
    expect(b.sent).toHaveLength(1);
    expect(logs.some((l) => l.from === 'a' && l.to === 'b')).toBe(true);
  });

  it('when a caller secret is configured, then the authenticated entry sends the template its token names and refuses others', async () => {
    await clean();
    const vendor = new FakeSmsProvider();
    const { sms } = smsStack({ db: db.database.db, clock: new ManualClock(), providers: [vendor], config: { callerSecret } });
    await sms.authenticated!.send(signCallerToken(callerSecret, 'login_code'), code, '+8613800000000');
    await expect(sms.authenticated!.send('login_code', code, '+8613800000000')).rejects.toMatchObject({ failure: 'rejected' });
    expect(vendor.sent.map((s) => s.templateId)).toEqual(['login_code']);
    expect(await sms.queue.countByStatus()).toEqual({ pending: 0, failed: 0 });
  });

  it('when no provider is configured, then sends fail as unavailable, nothing is queued, and start() logs P1', async () => {
    await clean();
    const { sms, logs } = smsStack({ db: db.database.db, clock: new ManualClock(), providers: [] });
    sms.start();
    await expect(sms.service.send('login_code', code, '+8613800000000')).rejects.toMatchObject({ failure: 'unavailable' });
    expect(await sms.queue.countByStatus()).toEqual({ pending: 0, failed: 0 });
    expect(logs.some((l) => l.severity === 'P1' && String(l.msg).includes('WEBOOK_SMS_PROVIDERS'))).toBe(true);
  });

  it('when the providers fail and the queue cannot be written either, then the caller gets unavailable (never a silent loss)', async () => {
    const gone = await freshDatabase('sqlite');
    const { sms } = smsStack({ db: gone.database.db, clock: new ManualClock(), providers: [new FakeSmsProvider().behave('unavailable')] });
    await gone.drop();
    await expect(sms.service.send('login_code', code, '+8613800000000')).rejects.toMatchObject({ name: 'SmsError', failure: 'unavailable' });
  });
});
