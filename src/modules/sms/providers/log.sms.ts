import type { Logger } from '../../../pkg/logger/logger.js';
import type { SmsArg, SmsProvider } from '../sms.js';

/**
 * DEVELOPMENT ONLY. Sends nothing: writes the message, code included, to the server log,
 * so the embedded default can log in by SMS without a vendor account. Production refuses
 * to start with it unless WEBOOK_SMS_ALLOW_LOG_PROVIDER is set (sms.config.ts), since a
 * login code in a shared log is a login for whoever reads the log.
 */
export class LogSms implements SmsProvider {
  readonly name = 'log';

  constructor(private readonly logger: Logger) {}

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    this.logger.info(
      { severity: 'P3', sms: { templateId, numbers, args: Object.fromEntries(args.map((a) => [a.name, a.value])) } },
      'DEVELOPMENT ONLY: SMS not sent, written to the log instead (WEBOOK_SMS_PROVIDERS=log)',
    );
  }
}
