import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TencentSms } from '../../src/modules/sms/providers/tencent.sms.js';
import type { SmsError } from '../../src/modules/sms/sms.js';
import { FakeTencentSms, TENCENT_TEST_CREDENTIALS } from '../support/fake-sms-tencent.js';

const code = [{ name: 'code', value: '482913' }];
let vendor: FakeTencentSms;

const client = (overrides: Partial<ConstructorParameters<typeof TencentSms>[0]> = {}) =>
  new TencentSms({ ...TENCENT_TEST_CREDENTIALS, region: 'ap-guangzhou', timeoutMs: 2000, templates: { login_code: '1234567' }, ...overrides, endpoint: overrides.endpoint ?? vendor.url });

const failureOf = async (p: Promise<void>) => ((await p.catch((e: unknown) => e)) as SmsError).failure;

beforeEach(async () => {
  vendor = await new FakeTencentSms().start();
});
afterEach(async () => {
  await vendor.close();
});

describe('Tencent Cloud SMS client against a fake vendor that checks TC3 signatures', () => {
  it('when a code is sent, then the vendor verifies the signature and receives the mapped template and positional parameters', async () => {
    await client().send('login_code', code, '+8613800000000', '+8613900000000');
    expect(vendor.refused).toEqual([]);
    expect(vendor.accepted).toEqual([
      { PhoneNumberSet: ['+8613800000000', '+8613900000000'], SmsSdkAppId: '1400123456', SignName: 'Webook', TemplateId: '1234567', TemplateParamSet: ['482913'] },
    ]);
  });

  it('when the secret key is wrong, then the vendor refuses the signature and the client reports the provider unavailable', async () => {
    expect(await failureOf(client({ secretKey: 'wrong' }).send('login_code', code, '+8613800000000'))).toBe('unavailable');
    expect(vendor.refused).toEqual([expect.stringMatching(/^AuthFailure.SignatureFailure/)]);
  });

  it('when the client clock is ten minutes off, then the vendor refuses the timestamp', async () => {
    await client({ now: () => Date.now() - 600_000 }).send('login_code', code, '+8613800000000').catch(() => {});
    expect(vendor.refused).toEqual([expect.stringMatching(/^AuthFailure.SignatureExpire/)]);
  });



  it('when there is no recipient or no template, then it is rejected before any request is made', async () => {
    expect(await failureOf(client().send('login_code', code))).toBe('rejected');
    expect(await failureOf(client().send('', code, '+8613800000000'))).toBe('rejected');
    expect(vendor.accepted.length + vendor.refused.length).toBe(0);
  });

  it('when nothing listens at the endpoint, then the provider is unavailable', async () => {
    const url = vendor.url;
    await vendor.close();
    expect(await failureOf(client({ endpoint: url }).send('login_code', code, '+8613800000000'))).toBe('unavailable');
  });
});
