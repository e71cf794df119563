import { randomUUID } from 'node:crypto';
import { SmsError, type SmsArg, type SmsFailure, type SmsProvider } from '../sms.js';
import { rpcTimestamp, signedRpcParams } from './aliyun.signer.js';
import { assertSendable, classifyVendorCode, postToVendor } from './vendor-http.js';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  regionId: string;
  /** https://dysmsapi.aliyuncs.com, or a fake vendor in tests. */
  endpoint: string;
  timeoutMs: number;
  /** Our template names -> Alibaba template codes (SMS_...); names not listed are sent as they are. */
  templates?: Record<string, string>;
  now?: () => number;
  nonce?: () => string;
}

/** As for Tencent: problems with our account, signature or template are `unavailable` (another vendor may work). */
const ALIYUN_CODES = {
  exact: {
    'isv.MOBILE_NUMBER_ILLEGAL': 'rejected',
    'isv.MOBILE_COUNT_OVER_LIMIT': 'rejected',
    'isv.INVALID_PARAMETERS': 'rejected',
    'isv.INVALID_JSON_PARAM': 'rejected',
    'isv.PARAM_LENGTH_LIMIT': 'rejected',
    'isv.TEMPLATE_MISSING_PARAMETERS': 'rejected',
    'isv.BLACK_KEY_CONTROL_LIMIT': 'rejected',
    'isv.BUSINESS_LIMIT_CONTROL': 'rate_limited',
    'isv.DAY_LIMIT_CONTROL': 'rate_limited',
  } as Record<string, SmsFailure>,
  prefixes: [['Throttling', 'rate_limited']] as [string, SmsFailure][],
  otherwise: 'unavailable' as SmsFailure,
};

interface AliyunAnswer {
  Code?: string;
  Message?: string;
}

/** Alibaba Cloud SMS `SendSms` (dysmsapi 2017-05-25), RPC signature, parameters in a form body. */
export class AliyunSms implements SmsProvider {
  readonly name = 'aliyun';

  constructor(private readonly opts: AliyunSmsOptions) {}

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    assertSendable(this.name, templateId, numbers);
    const params: Record<string, string> = {
      AccessKeyId: this.opts.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: this.opts.regionId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: (this.opts.nonce ?? randomUUID)(),
      SignatureVersion: '1.0',
      Timestamp: rpcTimestamp((this.opts.now ?? Date.now)()),
      Version: '2017-05-25',
      PhoneNumbers: numbers.join(','),
      SignName: this.opts.signName,
      TemplateCode: this.opts.templates?.[templateId] ?? templateId,
      // Alibaba's templates are named: ${code} takes the argument called "code".
      TemplateParam: JSON.stringify(Object.fromEntries(args.map((a) => [a.name, a.value]))),
    };
    const body = signedRpcParams('POST', params, this.opts.accessKeySecret);
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'application/json' };
    const answer = (await postToVendor(this.name, new URL('/', this.opts.endpoint).toString(), { headers, body }, this.opts.timeoutMs)).body as AliyunAnswer;
    if (answer.Code === 'OK') return;
    const code = answer.Code ?? 'Unknown';
    throw new SmsError(classifyVendorCode(code, ALIYUN_CODES), `Alibaba ${code}: ${answer.Message ?? ''}`, this.name);
  }
}
