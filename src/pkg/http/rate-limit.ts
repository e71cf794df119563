import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock/clock.js';
import { AppError, type ErrorCode } from '../errors/app-error.js';
import { CommonCodes } from '../errors/codes.js';
import type { RateLimiter, RateRule } from '../ratelimit/limiter.js';

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
  const decision = await limiter.hit(key, rule, clock.now());
  if (!decision.allowed) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
    throw new AppError(code);
  }
}

/** The whole-API limit per client IP. Behind a proxy, set WEBOOK_TRUST_PROXY so `ip` is the client's. */
export function installApiRateLimit(app: FastifyInstance, limiter: RateLimiter, clock: Clock, rule: RateRule): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (UNLIMITED.has(request.url) || request.url.startsWith('/docs')) return;
    await enforce(limiter, clock, reply, `api:${request.ip}`, rule);
  });
}
