import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The trace id of a request: the caller's (a load balancer's, another service's) when it
 * is tame, else a new one. It becomes the request id, which Fastify binds into the
 * request's logger as `traceId`; code below the web layer receives that logger rather
 * than reading a global context (AsyncLocalStorage costs every promise on Node 20).
 */
export function traceIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_ID.test(value) ? value : randomUUID();
}
