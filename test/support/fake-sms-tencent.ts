import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeVendorServer, type VendorMode, type VendorReply } from './fake-sms-server.js';

export const TENCENT_TEST_CREDENTIALS = { secretId: 'AKIDtestFakeSecretId0001', secretKey: 'fakeTencentSecretKey0123456789ab', sdkAppId: '1400123456', signName: 'Webook' };

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/**
 * A fake Tencent Cloud SMS endpoint that verifies each request as Tencent's "Signature v3"
 * page describes, written apart from the client's signer: it rebuilds the canonical request
 * from the headers it actually received and the SignedHeaders the client declared, derives
 * the signing key from the secret it knows, and compares. It also checks the X-TC-* headers,
 * a timestamp within five minutes, and the SendSms parameters.
 */
export class FakeTencentSms extends FakeVendorServer {
  constructor(private readonly creds = TENCENT_TEST_CREDENTIALS, private readonly now = () => Date.now()) {
    super();
  }

  protected check(req: IncomingMessage, body: string): VendorReply | Record<string, unknown> {
    const fail = (code: string, message: string) => this.refuse(`${code}: ${message}`, answer({ Error: { Code: code, Message: message } }));
    const h = (name: string) => String(req.headers[name] ?? '');
    if (req.method !== 'POST' || req.url !== '/') return fail('InvalidParameter', `unexpected ${req.method} ${req.url}`);
    if (h('x-tc-action') !== 'SendSms' || h('x-tc-version') !== '2021-01-11' || !h('x-tc-region')) return fail('InvalidParameter', 'X-TC-Action/Version/Region');
    const timestamp = Number(h('x-tc-timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(this.now() / 1000 - timestamp) > 300) return fail('AuthFailure.SignatureExpire', 'timestamp');
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(h('authorization'));
    if (!auth) return fail('AuthFailure.InvalidAuthorization', 'malformed Authorization');
    const [, secretId, date, service, signedHeaders, signature] = auth;
    if (secretId !== this.creds.secretId) return fail('AuthFailure.SecretIdNotFound', 'unknown SecretId');
    if (service !== 'sms' || date !== new Date(timestamp * 1000).toISOString().slice(0, 10)) return fail('AuthFailure.InvalidAuthorization', 'credential scope');
    const names = signedHeaders!.split(';');
    if (!names.includes('content-type') || !names.includes('host')) return fail('AuthFailure.InvalidAuthorization', 'content-type and host must be signed');
    const canonicalHeaders = names.map((n) => `${n}:${h(n).trim().toLowerCase()}\n`).join('');
    const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256(body)}`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${sha256(canonicalRequest)}`;
    const key = hmac(hmac(hmac(`TC3${this.creds.secretKey}`, date!), 'sms'), 'tc3_request');
    if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) return fail('AuthFailure.SignatureFailure', 'signature mismatch');
    return this.params(body, fail);
  }

  private params(body: string, fail: (code: string, message: string) => VendorReply): VendorReply | Record<string, unknown> {
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return fail('InvalidParameter', 'body is not JSON');
    }
    const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!strings(p.PhoneNumberSet) || (p.PhoneNumberSet as string[]).length === 0) return fail('MissingParameter', 'PhoneNumberSet');
    if (p.SmsSdkAppId !== this.creds.sdkAppId) return fail('FailedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId');
    if (p.SignName !== this.creds.signName) return fail('FailedOperation.SignatureIncorrectOrUnapproved', 'SignName');
    if (typeof p.TemplateId !== 'string' || !p.TemplateId) return fail('MissingParameter', 'TemplateId');
    if (p.TemplateParamSet !== undefined && !strings(p.TemplateParamSet)) return fail('InvalidParameterValue.TemplateParameterFormatError', 'TemplateParamSet');
    return p;
  }

  protected reply(mode: Exclude<VendorMode, 'timeout' | 'http500'>, params: Record<string, unknown>): VendorReply {
    const perNumber = (Code: string, Message: string) =>
      answer({ SendStatusSet: (params.PhoneNumberSet as string[]).map((PhoneNumber) => ({ SerialNo: randomUUID(), PhoneNumber, Fee: 1, Code, Message })) });
    switch (mode) {
      case 'ok':
        return perNumber('Ok', 'send success');
      case 'rate_limit':
        return perNumber('LimitExceeded.PhoneNumberThirtySecondLimit', 'too many sends to this number');
      case 'reject':
        return answer({ Error: { Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'incorrect phone number' } });
      case 'error':
        return answer({ Error: { Code: 'InternalError.Timeout', Message: 'internal timeout' } });
    }
  }
}

/** Tencent answers HTTP 200 with a Response object, errors included. */
const answer = (response: Record<string, unknown>): VendorReply => ({ status: 200, body: { Response: { ...response, RequestId: randomUUID() } } });
