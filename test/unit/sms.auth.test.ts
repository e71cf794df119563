import { createSigner } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { AuthenticatedSms, signCallerToken } from '../../src/modules/sms/auth.sms.js';
import { FakeSmsProvider } from '../support/fake-sms-provider.js';

const secret = 'sms-caller-secret-0123456789-abcdefghij';
const code = [{ name: 'code', value: '123456' }];

function setup() {
  const vendor = new FakeSmsProvider();
  return { vendor, sms: new AuthenticatedSms(vendor, secret) };
}

describe('auth decorator (caller tokens)', () => {
  it('when a caller presents a token for a template, then that template is sent', async () => {
    const { vendor, sms } = setup();
    await sms.send(signCallerToken(secret, 'login_code'), code, '+8613800000000');
    expect(vendor.sent).toEqual([{ provider: 'fake', templateId: 'login_code', args: code, numbers: ['+8613800000000'] }]);
  });

  it.each([
    ['no token', ''],
    ['garbage', 'not-a-jwt'],
    ['a token signed with another secret', signCallerToken('another-secret-0123456789-abcdefghijkl', 'login_code')],
    ['a tampered token', signCallerToken(secret, 'login_code').replace(/\.[^.]+\./, `.${Buffer.from('{"tpl":"promo"}').toString('base64url')}.`)],
    ['a token without a template claim', (createSigner({ key: secret }) as (p: object) => string)({ sub: 'billing' })],
    ['an alg=none token', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"tpl":"login_code"}').toString('base64url')}.`],
  ])('when the caller presents %s, then the send is rejected and nothing is sent', async (_what, token) => {
    const { vendor, sms } = setup();
    await expect(sms.send(token, code, '+8613800000000')).rejects.toMatchObject({ name: 'SmsError', failure: 'rejected' });
    expect(vendor.attempts).toBe(0);
  });

  it('when the caller token has expired, then the send is rejected', async () => {
    const { vendor, sms } = setup();
    const sign = createSigner({ key: secret, clockTimestamp: Date.now() - 120_000, expiresIn: 60_000 }) as (p: object) => string;
    await expect(sms.send(sign({ tpl: 'login_code' }), code, '+8613800000000')).rejects.toMatchObject({ failure: 'rejected' });
    expect(vendor.attempts).toBe(0);
  });
});
