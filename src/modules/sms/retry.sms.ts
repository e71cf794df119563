import { isRetryableSmsError, type SmsArg, type SmsService } from './sms.js';

export interface RetryPolicy {
  /** Total tries, the first included (1 = no retry). */
  maxAttempts: number;
  /** The delay before the second try; each later one doubles it. */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
}

export interface RetryDeps {
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); tests pin it. */
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * "Full jitter" exponential backoff: a random wait in [0, min(cap, base * 2^(n-1))).
 * The randomness spreads the retries of many callers that failed at the same moment
 * (a vendor outage) so they do not hit the vendor again in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, retryNumber: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Tries again what may succeed on a second try (timeouts, outages, vendor throttling),
 * a bounded number of times; a rejected request fails at once (sending it again would
 * be rejected again). The last error is the one the caller sees.
 */
export class RetryingSms implements SmsService {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly inner: SmsService,
    private readonly policy: RetryPolicy,
    deps: RetryDeps = {},
  ) {
    this.sleep = deps.sleep ?? realSleep;
    this.random = deps.random ?? Math.random;
  }

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inner.send(templateId, args, ...numbers);
      } catch (err) {
        if (!isRetryableSmsError(err) || attempt >= this.policy.maxAttempts) throw err;
        await this.sleep(backoffDelay(this.policy, attempt, this.random));
      }
    }
  }
}
