import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeVendorServer, type VendorMode, type VendorReply } from './fake-sms-server.js';

export const ALIYUN_TEST_CREDENTIALS = { accessKeyId: 'LTAItestFakeAccessKey01', accessKeySecret: 'fakeAliyunAccessKeySecret012345', signName: 'Webook' };

/** RFC 3986 encoding as Alibaba documents it (written apart from the client's). */
const enc = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const COMMON = { Action: 'SendSms', Format: 'JSON', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', Version: '2017-05-25' };

/**
 * A fake Alibaba Cloud SMS (dysmsapi) endpoint that verifies the RPC signature as the
 * "Signature method" page describes: every parameter but Signature, sorted, each
 * percent-encoded, "POST&%2F&" + the encoded query, HMAC-SHA1 with secret + "&", Base64.
 * It also checks the common parameters, a UTC timestamp within 15 minutes, a nonce used
 * only once, and the SendSms parameters.
 */
export class FakeAliyunSms extends FakeVendorServer {
  private readonly nonces = new Set<string>();

  constructor(private readonly creds = ALIYUN_TEST_CREDENTIALS, private readonly now = () => Date.now()) {
    super();
  }

  protected check(req: IncomingMessage, body: string): VendorReply | Record<string, unknown> {
    const fail = (status: number, code: string, message: string) => this.refuse(`${code}: ${message}`, answer(status, code, message));
    if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return fail(400, 'InvalidParameter', 'POST a form');
    const params = Object.fromEntries(new URLSearchParams(body));
    const { Signature: signature, ...signed } = params;
    for (const [k, v] of Object.entries(COMMON)) if (signed[k] !== v) return fail(400, 'InvalidParameter', `${k} must be ${v}`);
    if (signed.AccessKeyId !== this.creds.accessKeyId) return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (!signed.RegionId) return fail(400, 'MissingRegionId', 'RegionId');
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(signed.Timestamp ?? '') || Math.abs(Date.parse(signed.Timestamp!) - this.now()) > 15 * 60_000) {
      return fail(400, 'InvalidTimeStamp.Expired', 'Timestamp');
    }
    const canonical = Object.keys(signed).sort().map((k) => `${enc(k)}=${enc(signed[k]!)}`).join('&');
    const expected = createHmac('sha1', `${this.creds.accessKeySecret}&`).update(`POST&${enc('/')}&${enc(canonical)}`).digest('base64');
    if (signature !== expected) return fail(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (!signed.SignatureNonce || this.nonces.has(signed.SignatureNonce)) return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.add(signed.SignatureNonce);
    return this.sendSmsParams(signed, fail);
  }

  private sendSmsParams(p: Record<string, string>, fail: (s: number, c: string, m: string) => VendorReply): VendorReply | Record<string, unknown> {
    if (!p.PhoneNumbers) return fail(400, 'MissingPhoneNumbers', 'PhoneNumbers');
    if (p.SignName !== this.creds.signName) return fail(200, 'isv.SMS_SIGNATURE_ILLEGAL', 'SignName');
    if (!p.TemplateCode) return fail(400, 'MissingTemplateCode', 'TemplateCode');
    try {
      const param = JSON.parse(p.TemplateParam ?? '{}') as unknown;
      if (typeof param !== 'object' || param === null || Array.isArray(param)) throw new Error('not an object');
    } catch {
      return fail(200, 'isv.INVALID_JSON_PARAM', 'TemplateParam');
    }
    return p;
  }

  protected reply(mode: Exclude<VendorMode, 'timeout' | 'http500'>): VendorReply {
    switch (mode) {
      case 'ok':
        return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: randomUUID(), RequestId: randomUUID() } };
      case 'rate_limit':
        return answer(200, 'isv.BUSINESS_LIMIT_CONTROL', 'flow control');
      case 'reject':
        return answer(200, 'isv.MOBILE_NUMBER_ILLEGAL', 'illegal mobile number');
      case 'error':
        return answer(200, 'isp.SYSTEM_ERROR', 'system error');
    }
  }
}

const answer = (status: number, Code: string, Message: string): VendorReply => ({ status, body: { Code, Message, RequestId: randomUUID() } });
