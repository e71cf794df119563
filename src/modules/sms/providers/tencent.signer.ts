import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256, step by step as Tencent's
 * "Signature v3" page documents it. Each step is exported so tests (and the fake
 * vendor server) can check the intermediate strings, not only the final signature.
 */
export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** The product: `sms` for SMS. */
  service: string;
  /** Host header as sent (host[:port]). */
  host: string;
  action: string;
  contentType: string;
  payload: string;
  /** Unix seconds; also gives the UTC date of the credential scope. */
  timestamp: number;
}

/** The signed headers, in order; names and values lower-cased and trimmed, each line ending in \n. */
export function canonicalHeaders(headers: [string, string][]): { canonical: string; signed: string } {
  const lines = headers.map(([k, v]) => [k.toLowerCase().trim(), v.toLowerCase().trim()] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { canonical: lines.map(([k, v]) => `${k}:${v}\n`).join(''), signed: lines.map(([k]) => k).join(';') };
}

/** POST to "/" with no query string: HTTPRequestMethod, URI, query, headers, signed headers, payload hash. */
export function canonicalRequest(input: Pick<Tc3Input, 'host' | 'action' | 'contentType' | 'payload'>): { request: string; signedHeaders: string } {
  const { canonical, signed } = canonicalHeaders([
    ['content-type', input.contentType],
    ['host', input.host],
    ['x-tc-action', input.action],
  ]);
  const request = ['POST', '/', '', canonical, signed, sha256Hex(input.payload)].join('\n');
  return { request, signedHeaders: signed };
}

export const utcDate = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

export const credentialScope = (timestamp: number, service: string) => `${utcDate(timestamp)}/${service}/tc3_request`;

export const stringToSign = (timestamp: number, scope: string, canonical: string) =>
  [TC3_ALGORITHM, String(timestamp), scope, sha256Hex(canonical)].join('\n');

/** SecretDate = HMAC("TC3" + key, date); SecretService = HMAC(SecretDate, service); SecretSigning = HMAC(SecretService, "tc3_request"). */
export function signingKey(secretKey: string, date: string, service: string): Buffer {
  return hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
}

export function signTc3(input: Tc3Input): { authorization: string; signature: string; canonicalRequest: string; stringToSign: string } {
  const { request, signedHeaders } = canonicalRequest(input);
  const scope = credentialScope(input.timestamp, input.service);
  const toSign = stringToSign(input.timestamp, scope, request);
  const signature = createHmac('sha256', signingKey(input.secretKey, utcDate(input.timestamp), input.service)).update(toSign, 'utf8').digest('hex');
  const authorization = `${TC3_ALGORITHM} Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { authorization, signature, canonicalRequest: request, stringToSign: toSign };
}
