import type { Logger } from '../../pkg/logger/logger.js';
import type { SmsRequest, SmsRequestDao } from './sms-request.dao.js';
import { isRetryableSmsError, type SmsService } from './sms.js';

const PARALLEL_SENDS = 10;
/** Given-up requests stay a week for an operator to look at (`last_error`), then go. */
export const FAILED_KEEP_MS = 7 * 24 * 3600_000;

export interface ResendPolicy {
  /** Tries per request, counting each claim, after which it is marked failed (P1). */
  maxAttempts: number;
  /** Wait after the first failed resend; doubles each time up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claim holds: longer than one send through the whole stack can take. */
  leaseMs: number;
  /** Older requests are given up instead of sent (their code has expired). */
  maxAgeMs: number;
  /** Rows per run. */
  batchSize: number;
}

export interface ResendReport {
  claimed: number;
  sent: number;
  rescheduled: number;
  failed: number;
}

/**
 * Delivers what the async fallback queued. Safe with several instances running it: each
 * row is claimed by a compare-and-set (sms-request.dao.ts), and a claim is a lease, so a
 * row whose sender died comes due again when the lease runs out. `runOnce(now)` is one
 * pass; the job scheduler runs it (the `sms-resend` job).
 */
export class SmsResender {
  constructor(
    /** The stack below the async fallback: sending here must not queue again. */
    private readonly sender: SmsService,
    private readonly queue: SmsRequestDao,
    private readonly policy: ResendPolicy,
    private readonly logger: Logger,
  ) {}

  /** One pass over the due rows; `signal` (the scheduler lost the job) stops it claiming more. */
  async runOnce(now: number, signal?: AbortSignal): Promise<ResendReport> {
    const report: ResendReport = { claimed: 0, sent: 0, rescheduled: 0, failed: 0 };
    await this.queue.pruneFailed(now - FAILED_KEEP_MS);
    const due = await this.queue.due(now, this.policy.batchSize);
    // A few at a time: a backlog after an outage drains in parallel without flooding the vendor.
    for (let i = 0; i < due.length && !signal?.aborted; i += PARALLEL_SENDS) {
      await Promise.all(
        due.slice(i, i + PARALLEL_SENDS).map(async (candidate) => {
          const req = await this.queue.claim(candidate.id, candidate.version, now, this.policy.leaseMs);
          if (!req) return; // another instance has it
          report.claimed++;
          report[await this.attempt(req, now)]++;
        }),
      );
    }
    return report;
  }

  private async attempt(req: SmsRequest, now: number): Promise<'sent' | 'rescheduled' | 'failed'> {
    if (now - req.ctime > this.policy.maxAgeMs) return this.giveUp(req, `expired: queued ${now - req.ctime} ms ago`, now);
    let failure: unknown;
    try {
      await this.sender.send(req.templateId, req.args, ...req.numbers);
    } catch (err) {
      failure = err ?? new Error('unknown failure');
    }
    // (outside the try: a database fault here is not a send failure, it fails the run)
    if (failure === undefined) {
      await this.queue.delete(req);
      return 'sent';
    }
    const reason = failure instanceof Error ? failure.message : String(failure);
    if (isRetryableSmsError(failure) && req.attempts < this.policy.maxAttempts) {
      await this.queue.reschedule(req, now + this.delayAfter(req.attempts), reason, now);
      return 'rescheduled';
    }
    return this.giveUp(req, reason, now);
  }

  private async giveUp(req: SmsRequest, reason: string, now: number): Promise<'failed'> {
    await this.queue.markFailed(req, reason, now);
    this.logger.error(
      { severity: 'P1', smsRequestId: req.id, templateId: req.templateId, attempts: req.attempts, err: reason },
      'queued SMS could not be delivered and was given up',
    );
    return 'failed';
  }

  private delayAfter(attempts: number): number {
    return Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempts - 1));
  }
}
