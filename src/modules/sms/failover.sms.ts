import { SmsError, isRetryableSmsError, type SmsArg, type SmsFailure, type SmsProvider, type SmsService } from './sms.js';

/**
 * What "every provider failed" means to the caller: the shared failure when they all
 * failed the same way (all throttled: queue it; all timed out), otherwise `unavailable`.
 */
export function combinedFailure(errors: SmsError[]): SmsError {
  const kinds = new Set<SmsFailure>(errors.map((e) => e.failure));
  const failure: SmsFailure = kinds.size === 1 ? errors[0]!.failure : 'unavailable';
  const detail = errors.map((e) => `${e.provider ?? '?'}: ${e.failure} (${e.message})`).join('; ');
  return new SmsError(failure, `every SMS provider failed: ${detail}`, 'failover', { cause: errors.at(-1) });
}

/**
 * Round-robin failover (the seed's FailoverSMSService): each send starts at the next
 * provider in turn, spreading the load, and on a retryable failure tries the others in
 * order. A rejected request is not tried elsewhere: the message itself is wrong.
 */
export class RoundRobinFailoverSms implements SmsService {
  private next = 0;

  constructor(private readonly providers: SmsProvider[]) {
    if (providers.length === 0) throw new Error('failover needs at least one SMS provider');
  }

  async send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    // Taken and advanced before the first await, so concurrent sends start at different providers.
    const start = this.next;
    this.next = (this.next + 1) % this.providers.length;
    const errors: SmsError[] = [];
    for (let i = 0; i < this.providers.length; i++) {
      const provider = this.providers[(start + i) % this.providers.length]!;
      try {
        return await provider.send(templateId, args, ...numbers);
      } catch (err) {
        if (!isRetryableSmsError(err)) throw err;
        errors.push(err.provider ? err : new SmsError(err.failure, err.message, provider.name, { cause: err }));
      }
    }
    throw combinedFailure(errors);
  }
}
