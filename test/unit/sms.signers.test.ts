import { describe, expect, it } from 'vitest';
import { canonicalizedQuery, percentEncode, rpcSignature, rpcStringToSign, rpcTimestamp } from '../../src/modules/sms/providers/aliyun.signer.js';
import { canonicalRequest, signingKey, signTc3 } from '../../src/modules/sms/providers/tencent.signer.js';

/**
 * Known-answer vectors. The expected values were computed outside this code base, step by
 * step from the vendors' published algorithms (openssl dgst for Tencent's hashes and
 * HMAC chain; Python's urllib quote + hmac for Alibaba), and are written here as constants.
 */
describe('Tencent TC3-HMAC-SHA256 signer, known answer', () => {
  const input = {
    secretId: 'AKIDEXAMPLE',
    secretKey: 'EXAMPLEKEY',
    service: 'sms',
    host: 'sms.tencentcloudapi.com',
    action: 'SendSms',
    contentType: 'application/json; charset=utf-8',
    payload: '{"PhoneNumberSet":["+8613800000000"],"SmsSdkAppId":"1400000000","SignName":"Webook","TemplateId":"1234567","TemplateParamSet":["123456"]}',
    timestamp: 1767225600, // 2026-01-01T00:00:00Z
  };

  it('when the documented canonical request is built, then it matches line by line (headers lower-cased, an empty line after them)', () => {
    expect(canonicalRequest(input).request).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:sms.tencentcloudapi.com\nx-tc-action:sendsms\n\ncontent-type;host;x-tc-action\nd63f79c1294153e0a57ca677c6adaa7aa62c29bc631059e0b0aa7bd884a4a618',
    );
  });

  it('when the signing key is derived from date, service and tc3_request, then it matches the hand-computed key', () => {
    expect(signingKey('EXAMPLEKEY', '2026-01-01', 'sms').toString('hex')).toBe('a3e509f8f7df4ced97c543c9edff2b211251887a4cb83c7bfc4ae66c95c3fc17');
  });

  it('when the request is signed, then the string to sign, signature and Authorization header match', () => {
    const signed = signTc3(input);
    expect(signed.stringToSign).toBe('TC3-HMAC-SHA256\n1767225600\n2026-01-01/sms/tc3_request\n3fc200cbb0e21b1bb38480b2158d683c034e43f6ab6b0a37aba8b03a7dbc02b7');
    expect(signed.signature).toBe('64314a8f268961daa8373d498c9e78e20f27f8d33a8c2f890473bf391421ffc9');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-01-01/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=64314a8f268961daa8373d498c9e78e20f27f8d33a8c2f890473bf391421ffc9',
    );
  });

  it('when one byte of the payload changes, then the signature changes', () => {
    expect(signTc3({ ...input, payload: input.payload.replace('123456', '123457') }).signature).not.toBe('64314a8f268961daa8373d498c9e78e20f27f8d33a8c2f890473bf391421ffc9');
  });
});

describe('Alibaba RPC (HMAC-SHA1) signer, known answer', () => {
  it('when values hold reserved, non-ASCII and sub-delimiter characters, then they are encoded per RFC 3986 (%20, %2A, ~ kept)', () => {
    expect(percentEncode("a b*c~d!e'(f)+/:")).toBe('a%20b%2Ac~d%21e%27%28f%29%2B%2F%3A');
    expect(percentEncode('阿里')).toBe('%E9%98%BF%E9%87%8C');
  });

  it('when the documentation example string to sign is signed with "testsecret&", then the hand-computed signature comes out', () => {
    // The string to sign printed on Alibaba's "Signature method" page (SendMessageToGlobe, GET).
    const toSign =
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DSendMessageToGlobe%26Format%3DXML%26From%3DAlicloud%26Message%3DHello%26RegionId%3Dap-southeast-1%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D57acef20-c1d8-11eb-8c08-db81fda24dcc%26SignatureVersion%3D1.0%26Timestamp%3D2021-05-31T06%253A20%253A49Z%26To%3D861245567%252A%252A%252A%252A%26Version%3D2018-05-01';
    const params = {
      AccessKeyId: 'testid',
      Action: 'SendMessageToGlobe',
      Format: 'XML',
      From: 'Alicloud',
      Message: 'Hello',
      RegionId: 'ap-southeast-1',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '57acef20-c1d8-11eb-8c08-db81fda24dcc',
      SignatureVersion: '1.0',
      Timestamp: '2021-05-31T06:20:49Z',
      To: '861245567****',
      Version: '2018-05-01',
    };
    expect(rpcStringToSign('GET', canonicalizedQuery(params))).toBe(toSign);
    expect(rpcSignature('testsecret', toSign)).toBe('JgtGNEsWBdZ1l96ezb/rYiTP/TQ=');
  });

  it('when a SendSms request with a Chinese sign name is signed, then the canonical query and signature match the hand computation', () => {
    const params = {
      Version: '2017-05-25',
      Timestamp: '2017-07-12T02:42:19Z',
      TemplateParam: '{"code":"123456"}',
      TemplateCode: 'SMS_71390007',
      SignatureVersion: '1.0',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureMethod: 'HMAC-SHA1',
      SignName: '阿里云短信测试',
      RegionId: 'cn-hangzhou',
      PhoneNumbers: '13800000000',
      Format: 'JSON',
      Action: 'SendSms',
      AccessKeyId: 'testid',
    };
    const canonical = canonicalizedQuery(params);
    expect(canonical).toBe(
      'AccessKeyId=testid&Action=SendSms&Format=JSON&PhoneNumbers=13800000000&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22code%22%3A%22123456%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25',
    );
    expect(rpcSignature('testsecret', rpcStringToSign('POST', canonical))).toBe('/im4eOROAWLnsjMHIDbdtNJS964=');
  });

  it('when a time is formatted for the API, then it is ISO 8601 UTC without milliseconds', () => {
    expect(rpcTimestamp(Date.UTC(2017, 6, 12, 2, 42, 19, 456))).toBe('2017-07-12T02:42:19Z');
  });
});
