import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock/clock.js';
import { AppError, type ErrorCode } from '../errors/app-error.js';
import { CommonCodes } from '../errors/codes.js';
import type { RateDecision, RateLimiter, RateRule } from '../ratelimit/limiter.js';

/** Routes a load balancer or Prometheus polls are never limited. */
const UNLIMITED = new Set(['/healthz', '/readyz', '/metrics']);

/** Throws a 429 AppError (with Retry-After) when `key` is over `rule`. */
export async function enforce(
  limiter: RateLimiter,
  clock: Clock,
  reply: FastifyReply,
  key: string,
  rule: RateRule,
  code: ErrorCode = CommonCodes.rateLimited,
): Promise<void> {
  const refusal = refused(reply, await limiter.hit(key, rule, clock.now()), code);
  if (refusal) throw refusal;
}

/** The 429 error for a denied decision (with its Retry-After header set), else undefined. */
function refused(reply: FastifyReply, decision: RateDecision, code: ErrorCode): AppError | undefined {
  if (decision.allowed) return undefined;
  reply.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
  return new AppError(code);
}

/** The whole-API limit per client IP. Behind a proxy, set WEBOOK_TRUST_PROXY so `ip` is the client's. */
export function installApiRateLimit(app: FastifyInstance, limiter: RateLimiter, clock: Clock, rule: RateRule): void {
  // Every request passes here: a callback hook on the limiter's promise, no async wrappers around it.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (UNLIMITED.has(request.url) || request.url.startsWith('/docs')) return done();
    limiter.hit(`api:${request.ip}`, rule, clock.now()).then((decision) => done(refused(reply, decision, CommonCodes.rateLimited)), done);
  });
}
