import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env.js';

const production = {
  WEBOOK_MODE: 'production',
  WEBOOK_DB: 'mysql://root@127.0.0.1/webook',
  WEBOOK_JWT_ACCESS_SECRET: 'access-secret-0123456789-abcdefghijklmn',
  WEBOOK_JWT_REFRESH_SECRET: 'refresh-secret-0123456789-abcdefghijklm',
};

/** Development with secrets given, so no secrets file is written. */
const development = { WEBOOK_JWT_ACCESS_SECRET: production.WEBOOK_JWT_ACCESS_SECRET, WEBOOK_JWT_REFRESH_SECRET: production.WEBOOK_JWT_REFRESH_SECRET };

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('SMS configuration', () => {
  it('when development sets nothing, then SMS goes to the log provider', () => {
    expect(loadConfig(development).sms.providers).toEqual(['log']);
  });

  it('when production sets no providers, then none are configured (and none is the log)', () => {
    expect(loadConfig(production).sms.providers).toEqual([]);
  });

  it('when production asks for the log provider without the switch, then it refuses to start', () => {
    expect(problemsOf({ ...production, WEBOOK_SMS_PROVIDERS: 'log' }).join('\n')).toMatch(/WEBOOK_SMS_ALLOW_LOG_PROVIDER/);
  });

  it('when production asks for the log provider with the switch, then it starts', () => {
    expect(loadConfig({ ...production, WEBOOK_SMS_PROVIDERS: 'log', WEBOOK_SMS_ALLOW_LOG_PROVIDER: 'true' }).sms.providers).toEqual(['log']);
  });

  it('when a vendor is chosen without its credentials, then every missing variable is named at once', () => {
    const problems = problemsOf({ ...production, WEBOOK_SMS_PROVIDERS: 'tencent,aliyun' }).join('\n');
    for (const name of ['TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY', 'TENCENT_APP_ID', 'TENCENT_SIGN_NAME', 'ALIYUN_ACCESS_KEY_ID', 'ALIYUN_ACCESS_KEY_SECRET', 'ALIYUN_SIGN_NAME']) {
      expect(problems).toContain(`WEBOOK_SMS_${name}`);
    }
  });

  it('when the provider list names an unknown vendor or the template map is not JSON, then it refuses', () => {
    expect(problemsOf({ ...development, WEBOOK_SMS_PROVIDERS: 'tencent,twilio' }).join('\n')).toMatch(/WEBOOK_SMS_PROVIDERS/);
    expect(problemsOf({ ...development, WEBOOK_SMS_TENCENT_TEMPLATES: '{oops' }).join('\n')).toMatch(/WEBOOK_SMS_TENCENT_TEMPLATES/);
  });

  it('when both vendors are configured, then they come in the order given with their template maps', () => {
    const sms = loadConfig({
      ...production,
      WEBOOK_SMS_PROVIDERS: 'aliyun,tencent',
      WEBOOK_SMS_TENCENT_SECRET_ID: 'id',
      WEBOOK_SMS_TENCENT_SECRET_KEY: 'key',
      WEBOOK_SMS_TENCENT_APP_ID: '1400000000',
      WEBOOK_SMS_TENCENT_SIGN_NAME: 'Webook',
      WEBOOK_SMS_TENCENT_TEMPLATES: '{"login_code":"1234567"}',
      WEBOOK_SMS_ALIYUN_ACCESS_KEY_ID: 'ak',
      WEBOOK_SMS_ALIYUN_ACCESS_KEY_SECRET: 'secret',
      WEBOOK_SMS_ALIYUN_SIGN_NAME: 'Webook',
    }).sms;
    expect(sms.providers).toEqual(['aliyun', 'tencent']);
    expect(sms.tencent?.templates).toEqual({ login_code: '1234567' });
    expect(sms.aliyun?.endpoint).toBe('https://dysmsapi.aliyuncs.com');
  });
});
