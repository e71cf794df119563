import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunSms } from '../../src/modules/sms/providers/aliyun.sms.js';
import { TencentSms } from '../../src/modules/sms/providers/tencent.sms.js';
import type { SmsError, SmsFailure, SmsProvider } from '../../src/modules/sms/sms.js';
import { ALIYUN_TEST_CREDENTIALS, FakeAliyunSms } from '../support/fake-sms-aliyun.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';
import type { VendorMode } from '../support/fake-sms-server.js';
import { FakeTencentSms, TENCENT_TEST_CREDENTIALS } from '../support/fake-sms-tencent.js';

/**
 * What every SMS provider must do, whoever the vendor: the decorators rely on these
 * failures meaning the same thing everywhere. Each adapter runs against its fake vendor
 * (the in-memory fake, held to the same contract, is what other tests stand in with).
 */
interface Adapter {
  provider: SmsProvider;
  /** Makes the vendor answer the next request this way. */
  next(mode: VendorMode): void;
  delivered(): number;
  close(): Promise<void>;
}

// Long enough for a first request on a loaded machine; the timeout case waits it out once per vendor.
const TIMEOUT_MS = 1500;

const adapters: Record<string, () => Promise<Adapter>> = {
  tencent: async () => {
    const vendor = await new FakeTencentSms().start();
    const provider = new TencentSms({ ...TENCENT_TEST_CREDENTIALS, region: 'ap-guangzhou', endpoint: vendor.url, timeoutMs: TIMEOUT_MS });
    return { provider, next: (m) => void vendor.failNext(m), delivered: () => vendor.accepted.length, close: () => vendor.close() };
  },
  aliyun: async () => {
    const vendor = await new FakeAliyunSms().start();
    const provider = new AliyunSms({ ...ALIYUN_TEST_CREDENTIALS, regionId: 'cn-hangzhou', endpoint: vendor.url, timeoutMs: TIMEOUT_MS });
    return { provider, next: (m) => void vendor.failNext(m), delivered: () => vendor.accepted.length, close: () => vendor.close() };
  },
  'in-memory fake': async () => {
    const fake = new FakeSmsProvider();
    const asFake: Record<VendorMode, Parameters<FakeSmsProvider['failNext']>[0]> = {
      ok: 'ok',
      timeout: 'timeout',
      error: 'unavailable',
      http500: 'unavailable',
      rate_limit: 'rate_limited',
      reject: 'rejected',
    };
    return { provider: fake, next: (m) => void fake.failNext(asFake[m]), delivered: () => fake.sent.length, close: async () => {} };
  },
};

const code = [{ name: 'code', value: '482913' }];

describe.each(Object.keys(adapters))('SMS provider contract: %s', (name) => {
  let a: Adapter;
  beforeAll(async () => {
    a = await adapters[name]!();
  });
  afterAll(async () => {
    await a.close();
  });
  const failureOf = async (...numbers: string[]): Promise<SmsFailure | 'none'> => {
    const err = await a.provider.send('login_code', code, ...numbers).then(
      () => undefined,
      (e: unknown) => e as SmsError,
    );
    return err ? err.failure : 'none';
  };

  it('when the vendor accepts, then the send resolves and the message is delivered', async () => {
    const before = a.delivered();
    expect(await failureOf('13800000000')).toBe('none');
    expect(a.delivered()).toBe(before + 1);
  });

  it.each([
    ['times out', 'timeout', 'timeout'],
    ['throttles', 'rate_limit', 'rate_limited'],
    ['reports an internal error', 'error', 'unavailable'],
    ['answers HTTP 500', 'http500', 'unavailable'],
    ['refuses the number', 'reject', 'rejected'],
  ] as const)('when the vendor %s, then the failure is %s and nothing is delivered', async (_what, mode, failure) => {
    const before = a.delivered();
    a.next(mode);
    expect(await failureOf('13800000000')).toBe(failure);
    expect(a.delivered()).toBe(before);
  });

  it('when there is no recipient, then the send is rejected', async () => {
    expect(await failureOf()).toBe('rejected');
  });

  it('when a failure is reported, then it names the provider', async () => {
    a.next('error');
    const err = (await a.provider.send('login_code', code, '13800000000').catch((e: unknown) => e)) as SmsError;
    expect(err.provider).toBe(a.provider.name);
  });
});
