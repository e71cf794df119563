import type { Clock } from '../../pkg/clock/clock.js';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import { SmsError, type SmsArg, type SmsService } from './sms.js';

/**
 * Caps how many sends leave this deployment per window (the vendors bill per message and
 * throttle per account), using the shared sliding-window limiter: with Redis the cap holds
 * across every instance. Over the limit it fails fast with `rate_limited` and never calls
 * the wrapped service, so the async decorator above it can queue the message instead.
 */
export class RateLimitedSms implements SmsService {
  constructor(
    private readonly inner: SmsService,
    private readonly limiter: RateLimiter,
    private readonly rule: RateRule,
    private readonly clock: Clock,
    private readonly key = 'sms:send',
  ) {}

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    const decision = await this.limiter.hit(this.key, this.rule, this.clock.now());
    if (!decision.allowed) {
      throw new SmsError('rate_limited', `SMS send rate limit reached; retry in ${decision.retryAfterMs} ms`, 'ratelimit');
    }
    await this.inner.send(templateId, args, ...numbers);
  }
}
