import { createHmac } from 'node:crypto';

/**
 * Alibaba Cloud RPC-style request signing (signature version 1.0, HMAC-SHA1), as the
 * "Signature method" page of Alibaba Cloud SMS documents it.
 */

/**
 * RFC 3986 percent-encoding in UTF-8: only A-Z a-z 0-9 - _ . ~ stay as they are; space is
 * %20 (never +), * is %2A, ~ is not encoded. encodeURIComponent leaves ! ' ( ) * alone,
 * so those are encoded here.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by name (byte order), each name=value percent-encoded, joined with &. */
export function canonicalizedQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
}

/** METHOD & percentEncode("/") & percentEncode(canonicalized query). */
export const rpcStringToSign = (method: string, canonical: string) => `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;

/** Base64 of HMAC-SHA1 keyed with the AccessKey secret followed by "&". */
export const rpcSignature = (accessKeySecret: string, toSign: string) =>
  createHmac('sha1', `${accessKeySecret}&`).update(toSign, 'utf8').digest('base64');

/** Every parameter plus Signature, as the form body (or query string) of the request. */
export function signedRpcParams(method: string, params: Record<string, string>, accessKeySecret: string): string {
  const canonical = canonicalizedQuery(params);
  const signature = rpcSignature(accessKeySecret, rpcStringToSign(method, canonical));
  return `Signature=${percentEncode(signature)}&${canonical}`;
}

/** ISO 8601 in UTC without milliseconds, as the API asks: 2017-07-12T02:42:19Z. */
export const rpcTimestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
