import { SmsError, type SmsArg, type SmsFailure, type SmsProvider } from '../sms.js';
import { signTc3 } from './tencent.signer.js';
import { assertSendable, classifyVendorCode, postToVendor } from './vendor-http.js';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  /** SmsSdkAppId of the SMS application. */
  sdkAppId: string;
  signName: string;
  region: string;
  /** https://sms.tencentcloudapi.com, or a fake vendor in tests. */
  endpoint: string;
  timeoutMs: number;
  /** Our template names -> Tencent template ids; names not listed are sent as they are. */
  templates?: Record<string, string>;
  now?: () => number;
}

const API_VERSION = '2021-01-11';
const CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Tencent's codes as our failures. Their account, signature and template problems are
 * ours to fix, not the message's, so they count as `unavailable`: another vendor may
 * take the same message.
 */
const TENCENT_CODES = {
  exact: {
    'InvalidParameterValue.IncorrectPhoneNumber': 'rejected',
    'FailedOperation.PhoneNumberInBlacklist': 'rejected',
    'FailedOperation.ContainSensitiveWord': 'rejected',
    'InvalidParameterValue.TemplateParameterFormatError': 'rejected',
    'InvalidParameterValue.TemplateParameterLengthLimit': 'rejected',
    'LimitExceeded.PhoneNumberCountLimit': 'rejected',
    'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber': 'rejected',
  } as Record<string, SmsFailure>,
  prefixes: [
    ['LimitExceeded.', 'rate_limited'],
    ['RequestLimitExceeded', 'rate_limited'],
    ['InternalError', 'unavailable'],
    ['AuthFailure', 'unavailable'],
    ['UnauthorizedOperation', 'unavailable'],
    ['FailedOperation', 'unavailable'],
    ['ResourceUnavailable', 'unavailable'],
  ] as [string, SmsFailure][],
  otherwise: 'unavailable' as SmsFailure,
};

interface TencentAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: { Code?: string; Message?: string; PhoneNumber?: string }[];
  };
}

/** Tencent Cloud SMS `SendSms` (API 3.0), signed with TC3-HMAC-SHA256. Numbers in E.164 (+86...). */
export class TencentSms implements SmsProvider {
  readonly name = 'tencent';
  private readonly url: URL;

  constructor(private readonly opts: TencentSmsOptions) {
    this.url = new URL(opts.endpoint);
  }

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    assertSendable(this.name, templateId, numbers);
    const payload = JSON.stringify({
      PhoneNumberSet: numbers,
      SmsSdkAppId: this.opts.sdkAppId,
      SignName: this.opts.signName,
      TemplateId: this.opts.templates?.[templateId] ?? templateId,
      // Tencent's templates are positional: {1}, {2}... take the arguments in order.
      TemplateParamSet: args.map((a) => a.value),
    });
    const timestamp = Math.floor((this.opts.now ?? Date.now)() / 1000);
    const action = 'SendSms';
    const { authorization } = signTc3({ ...this.opts, service: 'sms', host: this.url.host, action, contentType: CONTENT_TYPE, payload, timestamp });
    const headers = {
      Authorization: authorization,
      'Content-Type': CONTENT_TYPE,
      'X-TC-Action': action,
      'X-TC-Timestamp': String(timestamp),
      'X-TC-Version': API_VERSION,
      'X-TC-Region': this.opts.region,
    };
    const { body } = await postToVendor(this.name, this.url.toString(), { headers, body: payload }, this.opts.timeoutMs);
    this.check(body as TencentAnswer);
  }

  private check(answer: TencentAnswer): void {
    const response = answer.Response;
    if (!response) throw new SmsError('unavailable', 'Tencent answered without a Response object', this.name);
    if (response.Error) throw this.failure(response.Error.Code ?? 'Unknown', response.Error.Message);
    const statuses = response.SendStatusSet ?? [];
    if (statuses.length === 0) throw new SmsError('unavailable', 'Tencent answered without a send status', this.name);
    const failed = statuses.find((s) => s.Code !== 'Ok');
    if (failed) throw this.failure(failed.Code ?? 'Unknown', failed.Message);
  }

  private failure(code: string, message = ''): SmsError {
    return new SmsError(classifyVendorCode(code, TENCENT_CODES), `Tencent ${code}: ${message}`, this.name);
  }
}
