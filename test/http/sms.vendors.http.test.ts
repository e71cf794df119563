import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMS_RESEND_JOB } from '../../src/modules/sms/sms.module.js';
import { stacks } from '../support/backends.js';
import { buildTestApp, UA, type TestApp } from '../support/app.js';
import { ALIYUN_TEST_CREDENTIALS, FakeAliyunSms } from '../support/fake-sms-aliyun.js';
import { FakeTencentSms, TENCENT_TEST_CREDENTIALS } from '../support/fake-sms-tencent.js';

/**
 * The whole path as configured by environment: the login route, the code store, the
 * decorator stack from createSmsModule, and the real vendor clients, against fake Tencent
 * and Alibaba servers that verify every signature.
 */
describe.each(stacks)('SMS login codes through the vendor clients on $dialect + $cache', (stack) => {
  let t: TestApp;
  let tencent: FakeTencentSms;
  let aliyun: FakeAliyunSms;
  let phoneSeq = 0;
  const newPhone = () => `1380013${String(phoneSeq++).padStart(4, '0')}`;

  beforeEach(async () => {
    // The fakes check timestamps against the real clock; the app's clock starts at the real time too.
    tencent = await new FakeTencentSms().start();
    aliyun = await new FakeAliyunSms().start();
    t = await buildTestApp(stack, {
      WEBOOK_SMS_PROVIDERS: 'tencent,aliyun',
      WEBOOK_SMS_TENCENT_SECRET_ID: TENCENT_TEST_CREDENTIALS.secretId,
      WEBOOK_SMS_TENCENT_SECRET_KEY: TENCENT_TEST_CREDENTIALS.secretKey,
      WEBOOK_SMS_TENCENT_APP_ID: TENCENT_TEST_CREDENTIALS.sdkAppId,
      WEBOOK_SMS_TENCENT_SIGN_NAME: TENCENT_TEST_CREDENTIALS.signName,
      WEBOOK_SMS_TENCENT_ENDPOINT: tencent.url,
      WEBOOK_SMS_TENCENT_TEMPLATES: '{"login_code":"1234567"}',
      WEBOOK_SMS_ALIYUN_ACCESS_KEY_ID: ALIYUN_TEST_CREDENTIALS.accessKeyId,
      WEBOOK_SMS_ALIYUN_ACCESS_KEY_SECRET: ALIYUN_TEST_CREDENTIALS.accessKeySecret,
      WEBOOK_SMS_ALIYUN_SIGN_NAME: ALIYUN_TEST_CREDENTIALS.signName,
      WEBOOK_SMS_ALIYUN_ENDPOINT: aliyun.url,
      WEBOOK_SMS_ALIYUN_TEMPLATES: '{"login_code":"SMS_71390007"}',
      // Long enough for a first request on a loaded machine; the timeout test waits it out once.
      WEBOOK_SMS_TIMEOUT_MS: '2000',
      WEBOOK_SMS_RETRY_ATTEMPTS: '1',
      WEBOOK_SMS_ASYNC_DELAY_MS: '1000',
    });
  });
  afterEach(async () => {
    await t.close();
    await tencent.close();
    await aliyun.close();
  });

  const sendCode = (phone: string) => t.app.inject({ method: 'POST', url: '/users/login_sms/code/send', payload: { phone } });
  const login = (phone: string, code: string) => t.app.inject({ method: 'POST', url: '/users/login_sms', headers: { 'user-agent': UA }, payload: { phone, code } });
  const tencentCode = (i: number) => (tencent.accepted[i]!.TemplateParamSet as string[])[0]!;
  const aliyunCode = (i: number) => (JSON.parse(aliyun.accepted[i]!.TemplateParam as string) as { code: string }).code;

  it('when a login code is requested, then a signed SendSms carries it to the vendor and the code logs the user in', async () => {
    const phone = newPhone();
    expect((await sendCode(phone)).statusCode).toBe(200);
    expect(tencent.refused).toEqual([]);
    expect(tencent.accepted).toHaveLength(1);
    expect(tencent.accepted[0]).toMatchObject({ PhoneNumberSet: [phone], TemplateId: '1234567' });
    expect(tencentCode(0)).toMatch(/^\d{6}$/);
    const res = await login(phone, tencentCode(0));
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-jwt-token']).toBeTruthy();
  });

  it('when the first vendor does not answer in time, then the other vendor delivers the code', async () => {
    tencent.failNext('timeout');
    const phone = newPhone();
    expect((await sendCode(phone)).statusCode).toBe(200);
    expect(tencent.accepted).toHaveLength(0);
    expect(aliyun.refused).toEqual([]);
    expect(aliyun.accepted).toHaveLength(1);
    expect(aliyun.accepted[0]).toMatchObject({ PhoneNumbers: phone, TemplateCode: 'SMS_71390007' });
    expect((await login(phone, aliyunCode(0))).statusCode).toBe(200);
    const metrics = (await t.app.inject('/metrics')).body;
    expect(metrics).toMatch(/^webook_sms_provider_sends_total\{provider="tencent",outcome="timeout"\} 1$/m);
    expect(metrics).toMatch(/^webook_sms_provider_sends_total\{provider="aliyun",outcome="ok"\} 1$/m);
  });

  it('when both vendors throttle, then the code is queued, the resend job delivers it later, and it still logs in', async () => {
    tencent.failNext('rate_limit');
    aliyun.failNext('rate_limit');
    const phone = newPhone();
    expect((await sendCode(phone)).statusCode).toBe(200);
    expect(tencent.accepted.length + aliyun.accepted.length).toBe(0);
    expect(await t.container.sms.queue.countByStatus()).toEqual({ pending: 1, failed: 0 });
    expect(t.container.jobs.scheduler.names).toContain(SMS_RESEND_JOB);
    expect((await t.app.inject('/metrics')).body).toMatch(/^webook_sms_queue_requests\{status="pending"\} 1$/m);

    expect(await t.container.sms.resender.runOnce(t.clock.now() + 1000)).toMatchObject({ claimed: 1, sent: 1 });
    const delivered = tencent.accepted.length === 1 ? tencentCode(0) : aliyunCode(0);
    expect((await login(phone, delivered)).statusCode).toBe(200);
  });
});

describe('SMS login codes through the development log provider', () => {
  it('when the log provider is allowed, then the code appears in the server log, marked development only, and logs the user in', async () => {
    const t = await buildTestApp(stacks[0]!, { WEBOOK_SMS_PROVIDERS: 'log', WEBOOK_SMS_ALLOW_LOG_PROVIDER: 'true' });
    try {
      const phone = '13800139999';
      expect((await t.app.inject({ method: 'POST', url: '/users/login_sms/code/send', payload: { phone } })).statusCode).toBe(200);
      const line = t.logs.find((l) => String(l.msg).startsWith('DEVELOPMENT ONLY'));
      const sms = line?.sms as { numbers: string[]; args: { code: string } } | undefined;
      expect(sms?.numbers).toEqual([phone]);
      const res = await t.app.inject({ method: 'POST', url: '/users/login_sms', headers: { 'user-agent': UA }, payload: { phone, code: sms!.args.code } });
      expect(res.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
