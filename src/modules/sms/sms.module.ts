import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { DB } from '../../db/schema.js';
import type { JobDefinition } from '../../jobs/job.domain.js';
import type { Clock } from '../../pkg/clock/clock.js';
import type { Logger } from '../../pkg/logger/logger.js';
import type { RateLimiter } from '../../pkg/ratelimit/limiter.js';
import { AsyncFallbackSms } from './async.sms.js';
import { AuthenticatedSms } from './auth.sms.js';
import { RoundRobinFailoverSms } from './failover.sms.js';
import { buildProviders } from './providers/providers.js';
import { RateLimitedSms } from './ratelimit.sms.js';
import { SmsResender } from './resender.js';
import { RetryingSms, type RetryDeps } from './retry.sms.js';
import type { SmsConfig } from './sms.config.js';
import { SmsRequestDao } from './sms-request.dao.js';
import { installSmsMetrics } from './sms.metrics.js';
import { SmsError, type SmsProvider, type SmsService } from './sms.js';
import { TimeoutFailoverSms } from './timeout-failover.sms.js';

export const SMS_RESEND_JOB = 'sms-resend';

export interface SmsModuleDeps {
  db: Kysely<DB>;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  config: SmsConfig;
  /** Replaces the configured providers (tests: a fake vendor). */
  providers?: SmsProvider[];
  /** Where the SMS metrics go (sms.metrics.ts); none without. */
  registry?: Registry;
  /** Tests: a sleep that does not wait. */
  retry?: RetryDeps;
}

/** Production without WEBOOK_SMS_PROVIDERS: every send fails, loudly, instead of pretending. */
const unconfigured: SmsService = {
  send: async () => {
    throw new SmsError('unavailable', 'no SMS provider is configured (WEBOOK_SMS_PROVIDERS)', 'none');
  },
};

function failover(providers: SmsProvider[], config: SmsConfig, logger: Logger): SmsService {
  if (config.failover.mode === 'round_robin') return new RoundRobinFailoverSms(providers);
  return new TimeoutFailoverSms(providers, config.failover.timeoutThreshold, (from, to) =>
    logger.warn({ severity: 'P2', from, to }, 'SMS provider timed out repeatedly: switching provider'),
  );
}

/**
 * The SMS service as configured, outermost first:
 *   [auth] -> [async fallback] -> rate limit -> retry -> failover -> providers.
 * `service` is for trusted in-process callers (the SMS-code service); `authenticated`
 * (when a caller secret is set) expects a caller token in place of the template id.
 * The resender sends through the stack below the async fallback, so it never re-queues.
 */
export function createSmsModule(deps: SmsModuleDeps) {
  const { config, logger } = deps;
  const queue = new SmsRequestDao(deps.db);
  const metered = deps.registry ? installSmsMetrics(deps.registry, queue) : (p: SmsProvider) => p;
  const providers = (deps.providers ?? buildProviders(config, logger)).map(metered);
  // With no provider there is nothing to retry, limit or queue: fail at once.
  const direct: SmsService =
    providers.length === 0
      ? unconfigured
      : new RateLimitedSms(new RetryingSms(failover(providers, config, logger), config.retry, deps.retry), deps.limiter, config.rateLimit, deps.clock);
  const asyncOn = config.async.enabled && providers.length > 0;
  const service: SmsService = asyncOn ? new AsyncFallbackSms(direct, queue, deps.clock, logger, { firstDelayMs: config.async.baseDelayMs, maxPending: config.async.maxPending }) : direct;
  const resender = new SmsResender(direct, queue, config.async, logger);

  const resendJob: JobDefinition = {
    name: SMS_RESEND_JOB,
    cron: config.async.resendCron,
    handler: async (ctx) => {
      const report = await resender.runOnce(deps.clock.now(), ctx.signal);
      if (report.claimed > 0) ctx.logger.info({ ...report }, 'SMS resend pass');
    },
  };
  return {
    service,
    authenticated: config.callerSecret ? new AuthenticatedSms(service, config.callerSecret) : undefined,
    /** One resend pass (`runOnce(now)`); the scheduler runs it as `resendJob`. */
    resender,
    resendJob,
    /** The queue of requests waiting for the resender (tests, operations). */
    queue,
    providers: providers.map((p) => p.name),
    /** Says so, loudly, when production has no SMS provider. */
    start(): void {
      if (providers.length === 0) logger.error({ severity: 'P1' }, 'no SMS provider configured: SMS sends will fail (set WEBOOK_SMS_PROVIDERS)');
    },
  };
}

export type SmsModule = ReturnType<typeof createSmsModule>;
