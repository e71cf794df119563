import type { Clock } from '../../pkg/clock/clock.js';
import type { Logger } from '../../pkg/logger/logger.js';
import type { SmsRequestDao } from './sms-request.dao.js';
import { SmsError, type SmsArg, type SmsFailure, type SmsService } from './sms.js';

/** The failures worth queueing: they say "not now", not "never". */
const QUEUEABLE: ReadonlySet<SmsFailure> = new Set(['rate_limited', 'unavailable', 'timeout']);

/**
 * The async fallback (the seed's async SMS service): a send goes straight through while
 * the providers take it; when they are throttled or failing, the request is written to
 * `sms_requests` and the send resolves, because the message is now the resender's
 * (resender.ts) to deliver, across restarts. Only a rejected request, or one that could
 * not even be queued, fails the caller.
 *
 * A queued timeout may already have reached the vendor, so delivery is at least once.
 */
export class AsyncFallbackSms implements SmsService {
  constructor(
    private readonly inner: SmsService,
    private readonly queue: SmsRequestDao,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: {
      /** Wait before the first resend: give a throttled vendor a moment. */
      firstDelayMs: number;
      /** Queue no more than this: past it a failing send fails (a flood must not fill the database). */
      maxPending: number;
    },
  ) {}

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    try {
      await this.inner.send(templateId, args, ...numbers);
    } catch (err) {
      if (!(err instanceof SmsError) || !QUEUEABLE.has(err.failure)) throw err;
      await this.enqueue(err, templateId, args, numbers);
    }
  }

  private async enqueue(reason: SmsError, templateId: string, args: SmsArg[], numbers: string[]): Promise<void> {
    const now = this.clock.now();
    let pending: number;
    try {
      pending = await this.queue.countPending();
      if (pending < this.opts.maxPending) await this.queue.insert(templateId, args, numbers, now + this.opts.firstDelayMs, now);
    } catch (dbErr) {
      // Neither sent nor stored: the caller must know, so it does not claim the code went out.
      throw new SmsError('unavailable', `SMS providers failing (${reason.failure}) and the request could not be queued`, reason.provider, { cause: dbErr });
    }
    if (pending >= this.opts.maxPending) {
      this.logger.error({ severity: 'P1', pending, failure: reason.failure }, 'SMS queue full: a failing send was not queued');
      throw new SmsError('unavailable', `SMS providers failing (${reason.failure}) and the queue is full`, reason.provider, { cause: reason });
    }
    this.logger.warn(
      { severity: 'P2', failure: reason.failure, provider: reason.provider, templateId, recipients: numbers.length, err: reason.message },
      'SMS provider unavailable: request queued for the async resender',
    );
  }
}
