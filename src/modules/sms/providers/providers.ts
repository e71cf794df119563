import type { Logger } from '../../../pkg/logger/logger.js';
import type { SmsConfig } from '../sms.config.js';
import type { SmsProvider } from '../sms.js';
import { AliyunSms } from './aliyun.sms.js';
import { LogSms } from './log.sms.js';
import { TencentSms } from './tencent.sms.js';

/** The configured providers, in failover order (sms.config.ts has checked their credentials). */
export function buildProviders(config: SmsConfig, logger: Logger): SmsProvider[] {
  return config.providers.map((name): SmsProvider => {
    switch (name) {
      case 'log':
        return new LogSms(logger);
      case 'tencent':
        return new TencentSms({ ...config.tencent!, timeoutMs: config.timeoutMs });
      case 'aliyun':
        return new AliyunSms({ ...config.aliyun!, timeoutMs: config.timeoutMs });
    }
  });
}
