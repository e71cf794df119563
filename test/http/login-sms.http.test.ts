import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { buildContainer } from '../../src/ioc/container.js';
import { RedisCodeStore } from '../../src/modules/code/code.redis-store.js';
import { SmsError, type SmsArg, type SmsService } from '../../src/modules/sms/sms.js';
import { openRedis } from '../../src/pkg/cache/redis-cache.js';
import { createLogger } from '../../src/pkg/logger/logger.js';
import { stacks } from '../support/backends.js';
import { UA, authed, bodyOf, buildTestApp, tokensOf, type TestApp } from '../support/app.js';

/** Records every message; can be told to fail the next sends, as a vendor would. */
class FakeSms implements SmsService {
  sent: { templateId: string; args: SmsArg[]; numbers: string[] }[] = [];
  failWith: SmsError | null = null;

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    await new Promise((r) => setImmediate(r)); // a vendor answers later, never in the same tick
    if (this.failWith) throw this.failWith;
    this.sent.push({ templateId, args, numbers });
  }

  codeFor(phone: string): string {
    const last = this.sent.filter((m) => m.numbers.includes(phone)).at(-1);
    if (!last) throw new Error(`no SMS to ${phone}`);
    return last.args.find((a) => a.name === 'code')!.value;
  }
}

let phoneSeq = 0;
/** A fresh valid mainland mobile number per test, so tests never share a resend window. */
const newPhone = () => `1380013${String(++phoneSeq).padStart(4, '0')}`;

describe.each(stacks)('SMS-code login over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  const sms = new FakeSms();
  beforeAll(async () => {
    t = await buildTestApp(stack, {}, { sms });
  });
  afterAll(async () => t.close());
  beforeEach(() => {
    sms.failWith = null;
  });

  const sendCode = (phone: unknown) => t.app.inject({ method: 'POST', url: '/users/login_sms/code/send', payload: { phone } });
  const login = (phone: unknown, code: unknown) =>
    t.app.inject({ method: 'POST', url: '/users/login_sms', headers: { 'user-agent': UA }, payload: { phone, code } });
  const profileOf = async (res: Awaited<ReturnType<typeof login>>) =>
    bodyOf(await t.app.inject({ url: '/users/profile', headers: authed(tokensOf(res).access) })).data;

  it('when a new phone asks for a code and logs in with it, then an account with that phone exists and tokens come back', async () => {
    const phone = newPhone();
    const sent = await sendCode(phone);
    expect(sent.statusCode).toBe(200);
    expect(bodyOf(sent)).toEqual({ code: 0, msg: 'ok', data: null });
    expect(sms.sent.at(-1)).toMatchObject({ templateId: 'login_code', numbers: [phone] });
    expect(sms.codeFor(phone)).toMatch(/^\d{6}$/);

    const res = await login(phone, sms.codeFor(phone));
    expect(res.statusCode).toBe(200);
    expect(tokensOf(res).access).toMatch(/^ey/);
    expect(tokensOf(res).refresh).toMatch(/^ey/);
    expect(await profileOf(res)).toMatchObject({ phone, email: null, nickname: '' });
  });

  it('when the same phone logs in again (also written with +86), then it is the same account', async () => {
    const phone = newPhone();
    await sendCode(phone);
    const first = await profileOf(await login(phone, sms.codeFor(phone)));
    t.clock.advance(60_000);
    expect((await sendCode(`+86${phone}`)).statusCode).toBe(200);
    const again = await login(`+86${phone}`, sms.codeFor(phone));
    expect(again.statusCode).toBe(200);
    expect((await profileOf(again)).id).toBe(first.id);
  });

  it('when 100 sends for one phone race, then exactly one SMS goes out and the others are told to wait', async () => {
    const phone = newPhone();
    const before = sms.sent.length;
    const results = await Promise.all(Array.from({ length: 100 }, () => sendCode(phone)));
    expect(sms.sent.length - before).toBe(1);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.statusCode === 429);
    expect(refused).toHaveLength(99);
    expect(bodyOf(refused[0]!).code).toBe(402001);
  });

  it('when 100 logins with the right code race, then exactly one logs in and one account exists', async () => {
    const phone = newPhone();
    await sendCode(phone);
    const code = sms.codeFor(phone);
    const results = await Promise.all(Array.from({ length: 100 }, () => login(phone, code)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const others = results.filter((r) => r.statusCode !== 200);
    expect(others.every((r) => r.statusCode === 400 && bodyOf(r).code === 402003)).toBe(true);
    const rows = await t.container.backends.database.db.selectFrom('users').select('id').where('phone', '=', phone).execute();
    expect(rows).toHaveLength(1);
  });

  it('when three wrong codes were tried, then the right code is refused with its own error', async () => {
    const phone = newPhone();
    await sendCode(phone);
    const right = sms.codeFor(phone);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) {
      const res = await login(phone, wrong);
      expect(res.statusCode).toBe(400);
      expect(bodyOf(res)).toEqual({ code: 402002, msg: 'wrong code', data: null });
    }
    const res = await login(phone, right);
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).code).toBe(402004);
    expect(res.headers['x-jwt-token']).toBeUndefined();
  });

  it('when the code is ten minutes old, or was never sent, then login says it expired', async () => {
    const phone = newPhone();
    await sendCode(phone);
    t.clock.advance(10 * 60_000);
    expect(bodyOf(await login(phone, sms.codeFor(phone)))).toMatchObject({ code: 402003 });
    expect(bodyOf(await login(newPhone(), '123456'))).toMatchObject({ code: 402003 });
  });

  it('when the phone, the code or the body is malformed, then 400 names the field', async () => {
    for (const phone of ['abc', '1380013800', '23800138000', '+0123', '', 13800138000, `1380013800${'0'.repeat(20)}`]) {
      const res = await sendCode(phone);
      expect(res.statusCode, String(phone)).toBe(400);
      expect(bodyOf(res)).toMatchObject({ code: 400001, data: { fields: { phone: expect.any(String) } } });
    }
    for (const code of ['12345', '1234567', 'abcdef', 123456, '']) {
      const res = await login(newPhone(), code);
      expect(res.statusCode, String(code)).toBe(400);
      expect(bodyOf(res)).toMatchObject({ code: 400001, data: { fields: { code: expect.any(String) } } });
    }
    const extra = await t.app.inject({ method: 'POST', url: '/users/login_sms', payload: { phone: newPhone(), code: '123456', admin: true } });
    expect(bodyOf(extra)).toMatchObject({ code: 400001, data: { fields: { admin: expect.any(String) } } });
    const notJson = await t.app.inject({ method: 'POST', url: '/users/login_sms/code/send', headers: { 'content-type': 'application/json' }, payload: '{"phone":' });
    expect(notJson.statusCode).toBe(400);
  });

  it('when the SMS vendor is down, then the send is a 503 and the user may ask again at once', async () => {
    const phone = newPhone();
    sms.failWith = new SmsError('unavailable', 'vendor down');
    const res = await sendCode(phone);
    expect(res.statusCode).toBe(503);
    expect(bodyOf(res)).toMatchObject({ code: 502002 });
    // The code that was stored for it is gone: it cannot be used, and it does not block a retry.
    sms.failWith = null;
    expect((await sendCode(phone)).statusCode).toBe(200);
    expect((await login(phone, sms.codeFor(phone))).statusCode).toBe(200);
  });

  it('when the SMS vendor rejects the message, then the send is a 503 with its own code and nothing stays stored', async () => {
    const phone = newPhone();
    sms.failWith = new SmsError('rejected', 'template not approved');
    expect(bodyOf(await sendCode(phone))).toMatchObject({ code: 502003 });
    sms.failWith = null;
    expect((await sendCode(phone)).statusCode).toBe(200);
  });
});

describe('SMS-code login limits per client IP', () => {
  it('when one IP asks for codes too often, then it gets a 429 whatever the phone', async () => {
    const sms = new FakeSms();
    const t = await buildTestApp({ dialect: 'sqlite', cache: 'memory' }, { WEBOOK_RATELIMIT_AUTH_MAX: '2' }, { sms });
    try {
      for (let i = 0; i < 2; i++) expect((await t.app.inject({ method: 'POST', url: '/users/login_sms/code/send', payload: { phone: newPhone() } })).statusCode).toBe(200);
      const limited = await t.app.inject({ method: 'POST', url: '/users/login_sms/code/send', payload: { phone: newPhone() } });
      expect(limited.statusCode).toBe(429);
      expect(bodyOf(limited).code).toBe(401006);
      expect(limited.headers['retry-after']).toBeDefined();
      expect(sms.sent).toHaveLength(2);
    } finally {
      await t.close();
    }
  });
});

/** A loopback port with nothing listening on it. */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('when the Redis code store is unreachable', () => {
  it('then asking for a code is a 503 with the store code and no SMS goes out', async () => {
    const sms = new FakeSms();
    const redis = openRedis(`redis://127.0.0.1:${await deadPort()}`, 'webook:');
    redis.on('error', () => {}); // expected: nothing listens there
    const config = loadConfig({
      WEBOOK_MODE: 'production',
      WEBOOK_DB: 'sqlite::memory:',
      WEBOOK_JWT_ACCESS_SECRET: 'x'.repeat(40),
      WEBOOK_JWT_REFRESH_SECRET: 'y'.repeat(40),
      LOG_LEVEL: 'silent',
    });
    const container = buildContainer(config, { logger: createLogger('silent'), sms, codeStore: new RedisCodeStore(redis) });
    await container.migrate();
    const app = await buildApp(container);
    try {
      const started = Date.now();
      const send = await app.inject({ method: 'POST', url: '/users/login_sms/code/send', payload: { phone: newPhone() } });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(send.statusCode).toBe(503);
      expect(send.json()).toMatchObject({ code: 502001 });
      expect(send.headers['retry-after']).toBeDefined();
      expect(sms.sent).toHaveLength(0);
      const verify = await app.inject({ method: 'POST', url: '/users/login_sms', payload: { phone: newPhone(), code: '123456' } });
      expect(verify.statusCode).toBe(503);
      expect(verify.json()).toMatchObject({ code: 502001 });
    } finally {
      redis.disconnect();
      await app.close();
      await container.close();
    }
  });
});
