import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import type { SmsConfig } from '../../src/modules/sms/sms.config.js';
import { createSmsModule, type SmsModule } from '../../src/modules/sms/sms.module.js';
import type { SmsProvider } from '../../src/modules/sms/sms.js';
import type { Clock } from '../../src/pkg/clock/clock.js';
import { createLogger } from '../../src/pkg/logger/logger.js';
import { MemoryRateLimiter } from '../../src/pkg/ratelimit/memory-limiter.js';
import type { RateLimiter } from '../../src/pkg/ratelimit/limiter.js';

/** An SMS config for tests: quick retries, everything else as given (tests call runOnce themselves). */
export function smsTestConfig(overrides: Partial<SmsConfig> = {}): SmsConfig {
  return {
    providers: [],
    timeoutMs: 300,
    failover: { mode: 'round_robin', timeoutThreshold: 3 },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    rateLimit: { max: 1000, windowMs: 1000 },
    async: { enabled: true, resendCron: '*/5 * * * * *', maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000, maxAgeMs: 600_000, maxPending: 10_000, leaseMs: 60_000, batchSize: 100 },
    callerSecret: undefined,
    tencent: undefined,
    aliyun: undefined,
    ...overrides,
  };
}

/** A whole SMS module over the given providers, with its log lines captured. */
export function smsStack(opts: { db: Kysely<DB>; clock: Clock; providers: SmsProvider[]; config?: Partial<SmsConfig>; limiter?: RateLimiter }): {
  sms: SmsModule;
  logs: Record<string, unknown>[];
} {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const sms = createSmsModule({
    db: opts.db,
    limiter: opts.limiter ?? new MemoryRateLimiter(),
    clock: opts.clock,
    logger: createLogger('info', sink),
    config: smsTestConfig(opts.config),
    providers: opts.providers,
    retry: { sleep: async () => {} },
  });
  return { sms, logs };
}
