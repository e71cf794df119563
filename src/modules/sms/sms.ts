/**
 * The SMS port (the seed's `internal/service/sms.Service`): every vendor client and every
 * decorator (rate limit, retry, failover, async, auth) implements it, so they compose in any
 * order in the composition root.
 */
export interface SmsService {
  /**
   * Sends one template to one or more numbers. `args` are named so that vendors with
   * positional parameters (Tencent) take them in order and vendors with named ones
   * (Alibaba) take them by name. Resolves once the vendor accepted the message.
   */
  send(templateId: string, args: SmsArg[], ...numbers: string[]): Promise<void>;
}

export interface SmsArg {
  name: string;
  value: string;
}

/**
 * Why a send failed, as the decorators need to know it: retry only what may succeed on a
 * second try, fail over on timeouts and outages, queue for later when rate limited.
 */
export type SmsFailure = 'timeout' | 'unavailable' | 'rate_limited' | 'rejected';

export class SmsError extends Error {
  constructor(
    readonly failure: SmsFailure,
    message: string,
    readonly provider?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SmsError';
  }

  /** A timeout, an outage or a vendor-side rate limit may pass; a rejected request will not. */
  get retryable(): boolean {
    return this.failure !== 'rejected';
  }
}

/**
 * A vendor client (or the development log writer, or a test fake): an SmsService with a
 * name, so failover and the logs can say which provider answered or failed.
 */
export interface SmsProvider extends SmsService {
  readonly name: string;
}

/** True for errors a decorator may try again or route elsewhere; anything not an SmsError is a bug. */
export const isRetryableSmsError = (err: unknown): err is SmsError => err instanceof SmsError && err.retryable;
