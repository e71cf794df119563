import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AliyunSms } from '../../src/modules/sms/providers/aliyun.sms.js';
import type { SmsError } from '../../src/modules/sms/sms.js';
import { ALIYUN_TEST_CREDENTIALS, FakeAliyunSms } from '../support/fake-sms-aliyun.js';

const args = [
  { name: 'code', value: '482913' },
  { name: 'note', value: "a b*c~d!e'(f)+&=" },
];
let vendor: FakeAliyunSms;

const client = (overrides: Partial<ConstructorParameters<typeof AliyunSms>[0]> = {}) =>
  new AliyunSms({ ...ALIYUN_TEST_CREDENTIALS, regionId: 'cn-hangzhou', endpoint: vendor.url, timeoutMs: 2000, templates: { login_code: 'SMS_71390007' }, ...overrides });

const failureOf = async (p: Promise<void>) => ((await p.catch((e: unknown) => e)) as SmsError).failure;

beforeEach(async () => {
  vendor = await new FakeAliyunSms().start();
});
afterEach(async () => {
  await vendor.close();
});

describe('Alibaba Cloud SMS client against a fake vendor that checks RPC signatures', () => {
  it('when a code is sent, then the vendor verifies the signature and receives the mapped template and named parameters', async () => {
    await client().send('login_code', args, '13800000000', '13900000000');
    expect(vendor.refused).toEqual([]);
    expect(vendor.accepted).toHaveLength(1);
    const p = vendor.accepted[0]!;
    expect(p).toMatchObject({ PhoneNumbers: '13800000000,13900000000', SignName: 'Webook', TemplateCode: 'SMS_71390007', RegionId: 'cn-hangzhou' });
    expect(JSON.parse(p.TemplateParam as string)).toEqual({ code: '482913', note: "a b*c~d!e'(f)+&=" });
  });

  it('when the sign name is not ASCII, then the UTF-8 encoding signs the same on both sides', async () => {
    const chinese = new FakeAliyunSms({ ...ALIYUN_TEST_CREDENTIALS, signName: '阿里云短信测试' });
    await chinese.start();
    await new AliyunSms({ ...ALIYUN_TEST_CREDENTIALS, signName: '阿里云短信测试', regionId: 'cn-hangzhou', endpoint: chinese.url, timeoutMs: 2000 }).send('SMS_1', args, '13800000000');
    expect(chinese.refused).toEqual([]);
    expect(chinese.accepted).toHaveLength(1);
    await chinese.close();
  });

  it('when the secret is wrong, then the vendor answers SignatureDoesNotMatch and the client reports the provider unavailable', async () => {
    expect(await failureOf(client({ accessKeySecret: 'wrong' }).send('login_code', args, '13800000000'))).toBe('unavailable');
    expect(vendor.refused).toEqual([expect.stringMatching(/^SignatureDoesNotMatch/)]);
  });

  it('when a nonce is replayed, then the vendor refuses the second request', async () => {
    const replaying = client({ nonce: () => 'same-nonce' });
    await replaying.send('login_code', args, '13800000000');
    await replaying.send('login_code', args, '13800000000').catch(() => {});
    expect(vendor.refused).toEqual([expect.stringMatching(/^SignatureNonceUsed/)]);
  });

  it('when there is no recipient or an empty number, then it is rejected before any request is made', async () => {
    expect(await failureOf(client().send('login_code', args))).toBe('rejected');
    expect(await failureOf(client().send('login_code', args, '13800000000', ''))).toBe('rejected');
    expect(vendor.accepted.length + vendor.refused.length).toBe(0);
  });


});
