import { SmsError, type SmsArg, type SmsProvider, type SmsService } from './sms.js';

/**
 * Timeout-counting failover (the seed's TimeoutFailoverSMSService): sends go to the
 * current provider until it times out `threshold` times in a row, then to the next one.
 * Other failures are passed up untouched (they are not a sign the vendor is down; retry
 * and async handle them).
 *
 * Safe under concurrency: a timeout only counts against the provider that was current
 * when its send started, so when many sends in flight time out together the provider
 * switches once, not once per send; a success from the current provider resets the count.
 */
export class TimeoutFailoverSms implements SmsService {
  private current = 0;
  private consecutiveTimeouts = 0;

  constructor(
    private readonly providers: SmsProvider[],
    private readonly threshold: number,
    private readonly onSwitch: (from: string, to: string) => void = () => {},
  ) {
    if (providers.length === 0) throw new Error('failover needs at least one SMS provider');
    if (threshold < 1) throw new Error('the timeout threshold must be at least 1');
  }

  /** The provider new sends go to (for tests and metrics). */
  get currentProvider(): string {
    return this.providers[this.current]!.name;
  }

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    const used = this.current;
    try {
      await this.providers[used]!.send(templateId, args, ...numbers);
      if (used === this.current) this.consecutiveTimeouts = 0;
    } catch (err) {
      if (err instanceof SmsError && err.failure === 'timeout') this.countTimeout(used);
      throw err;
    }
  }

  private countTimeout(used: number): void {
    if (used !== this.current) return; // this provider was already switched away from
    this.consecutiveTimeouts++;
    if (this.consecutiveTimeouts < this.threshold) return;
    const from = this.providers[this.current]!.name;
    this.current = (this.current + 1) % this.providers.length;
    this.consecutiveTimeouts = 0;
    this.onSwitch(from, this.providers[this.current]!.name);
  }
}
