import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsRequestStatus } from '../../src/modules/sms/sms-request.dao.js';
import { FAILED_KEEP_MS } from '../../src/modules/sms/resender.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import { dialects, freshDatabase, sameDatabase } from '../support/backends.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';
import { smsStack, smsTestConfig } from '../support/fake-sms-stack.js';

const code = [{ name: 'code', value: '482913' }];

describe.each(dialects)('async SMS fallback and resender on %s', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
  });
  afterAll(async () => {
    await db.drop();
  });
  const clean = () => db.database.db.deleteFrom('sms_requests').execute();
  const rows = () => db.database.db.selectFrom('sms_requests').selectAll().execute();

  it('when every provider throttles, then the send resolves, the request is stored, and a new instance delivers it after a restart', async () => {
    await clean();
    const clock = new ManualClock();
    const down = new FakeSmsProvider('down').behave('rate_limited');
    const before = smsStack({ db: db.database.db, clock, providers: [down] });
    await before.sms.service.send('login_code', code, '+8613800000000');
    expect(await before.sms.queue.countByStatus()).toEqual({ pending: 1, failed: 0 });
    expect(before.logs.some((l) => l.severity === 'P2' && l.failure === 'rate_limited')).toBe(true);

    // "Restart": a new module instance over the same database, the vendor back up.
    const up = new FakeSmsProvider('up');
    const after = smsStack({ db: db.database.db, clock, providers: [up] });
    expect(await after.sms.resender.runOnce(clock.now())).toMatchObject({ claimed: 0 }); // not due yet
    clock.advance(1000);
    expect(await after.sms.resender.runOnce(clock.now())).toEqual({ claimed: 1, sent: 1, rescheduled: 0, failed: 0 });
    expect(up.sent).toEqual([{ provider: 'up', templateId: 'login_code', args: code, numbers: ['+8613800000000'] }]);
    expect(await rows()).toEqual([]); // delivered rows (and their codes) are not kept
  });

  it('when the provider is healthy, then nothing is queued', async () => {
    await clean();
    const vendor = new FakeSmsProvider();
    const { sms } = smsStack({ db: db.database.db, clock: new ManualClock(), providers: [vendor] });
    await sms.service.send('login_code', code, '+8613800000000');
    expect(vendor.sent).toHaveLength(1);
    expect(await rows()).toEqual([]);
  });

  it('when the provider rejects the message, then it is neither queued nor hidden from the caller', async () => {
    await clean();
    const { sms } = smsStack({ db: db.database.db, clock: new ManualClock(), providers: [new FakeSmsProvider().behave('rejected')] });
    await expect(sms.service.send('login_code', code, 'nonsense')).rejects.toMatchObject({ failure: 'rejected' });
    expect(await rows()).toEqual([]);
  });

  it('when the resend keeps failing, then it backs off, gives up after maxAttempts, erases the code and logs P1', async () => {
    await clean();
    const clock = new ManualClock();
    const vendor = new FakeSmsProvider().behave('unavailable');
    const { sms, logs } = smsStack({ db: db.database.db, clock, providers: [vendor] });
    await sms.service.send('login_code', code, '+8613800000000');
    const dueTimes: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const due = Number((await rows())[0]!.next_attempt_at);
      dueTimes.push(due - clock.now());
      clock.set(due);
      await sms.resender.runOnce(clock.now());
    }
    expect(dueTimes).toEqual([1000, 1000, 2000]); // first delay, then base * 2^(attempt-1)
    const [row] = await rows();
    expect(row).toMatchObject({ status: SmsRequestStatus.failed, args: '[]' });
    expect(Number(row!.attempts)).toBe(3);
    expect(row!.last_error).toMatch(/unavailable/);
    expect(logs.filter((l) => l.severity === 'P1' && l.smsRequestId === Number(row!.id))).toHaveLength(1);
    clock.advance(3_600_000);
    expect(await sms.resender.runOnce(clock.now())).toMatchObject({ claimed: 0 }); // failed rows stay failed
    expect(await rows()).toHaveLength(1); // ... and are kept for a week for the record
    clock.set(Number(row!.utime) + FAILED_KEEP_MS + 1);
    await sms.resender.runOnce(clock.now());
    expect(await rows()).toHaveLength(0);
  });

  it('when a queued code is older than the maximum age, then it is given up instead of sent', async () => {
    await clean();
    const clock = new ManualClock();
    const vendor = new FakeSmsProvider().failNext('unavailable', 'unavailable');
    const { sms, logs } = smsStack({ db: db.database.db, clock, providers: [vendor], config: { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } });
    await sms.service.send('login_code', code, '+8613800000000');
    clock.advance(600_001); // the resender was down for longer than a code lives
    expect(await sms.resender.runOnce(clock.now())).toEqual({ claimed: 1, sent: 0, rescheduled: 0, failed: 1 });
    expect(vendor.sent).toEqual([]);
    expect((await rows())[0]).toMatchObject({ status: SmsRequestStatus.failed, args: '[]' });
    expect(logs.some((l) => l.severity === 'P1' && /expired/.test(String(l.err)))).toBe(true);
  });

  it('when the queue holds maxPending requests, then a further failing send is not queued but fails unavailable (P1)', async () => {
    await clean();
    const { sms, logs } = smsStack({ db: db.database.db, clock: new ManualClock(), providers: [new FakeSmsProvider().behave('rate_limited')], config: { async: { ...smsTestConfig().async, maxPending: 2 } } });
    await sms.service.send('login_code', code, '+8613800000001');
    await sms.service.send('login_code', code, '+8613800000002');
    await expect(sms.service.send('login_code', code, '+8613800000003')).rejects.toMatchObject({ failure: 'unavailable' });
    expect(await sms.queue.countByStatus()).toEqual({ pending: 2, failed: 0 });
    expect(logs.some((l) => l.severity === 'P1' && l.pending === 2)).toBe(true);
  });

  it('when a resender died holding a claim, then no one resends until its lease runs out, then another instance takes over', async () => {
    await clean();
    const clock = new ManualClock();
    const first = smsStack({ db: db.database.db, clock, providers: [new FakeSmsProvider().behave('timeout')] });
    await first.sms.service.send('login_code', code, '+8613800000000');
    clock.advance(1000);
    const [due] = await first.sms.queue.due(clock.now(), 10);
    expect(await first.sms.queue.claim(due!.id, due!.version, clock.now(), 60_000)).not.toBeNull(); // ...and then it "dies"
    const vendor = new FakeSmsProvider();
    const second = smsStack({ db: db.database.db, clock, providers: [vendor] });
    expect(await second.sms.resender.runOnce(clock.now())).toMatchObject({ claimed: 0 });
    clock.advance(60_000);
    expect(await second.sms.resender.runOnce(clock.now())).toMatchObject({ claimed: 1, sent: 1 });
    expect(vendor.sent).toHaveLength(1);
  });

  it('when two instances resend the same queue at once, then every request is delivered exactly once', async () => {
    await clean();
    const clock = new ManualClock();
    const queueing = smsStack({ db: db.database.db, clock, providers: [new FakeSmsProvider().behave('unavailable')] });
    for (let i = 0; i < 40; i++) await queueing.sms.service.send('login_code', code, `+86138000${String(i).padStart(5, '0')}`);
    clock.advance(1000);
    // A second connection pool where the dialect has one (two processes); SQLite in memory shares its only connection.
    const other = dialect === 'sqlite' ? undefined : sameDatabase(db.url);
    const a = new FakeSmsProvider('a');
    const b = new FakeSmsProvider('b');
    const instanceA = smsStack({ db: db.database.db, clock, providers: [a] });
    const instanceB = smsStack({ db: (other ?? db).database.db, clock, providers: [b] });
    const [ra, rb] = await Promise.all([instanceA.sms.resender.runOnce(clock.now()), instanceB.sms.resender.runOnce(clock.now())]);
    await other?.drop();
    const numbers = [...a.sent, ...b.sent].flatMap((s) => s.numbers);
    expect(numbers).toHaveLength(40);
    expect(new Set(numbers).size).toBe(40);
    expect(ra.claimed + rb.claimed).toBe(40);
    expect(await rows()).toEqual([]);
  });
});
