import { randomInt } from 'node:crypto';
import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { isConnectivityError } from '../../pkg/errors/connectivity.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { SmsError, type SmsService } from '../sms/sms.js';
import { CodeCodes } from './code.errors.js';
import type { CodeStore, VerifyResult } from './code.store.js';

/** Six digits from the OS's CSPRNG, leading zeros kept. */
export const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

const REFUSALS: Record<Exclude<VerifyResult, 'ok'>, typeof CodeCodes.wrongCode> = {
  wrong: CodeCodes.wrongCode,
  expired: CodeCodes.codeExpired,
  too_many_tries: CodeCodes.tooManyTries,
};

export interface CodeServiceDeps {
  store: CodeStore;
  sms: SmsService;
  clock: Clock;
  logger: Logger;
  /** The SMS template that carries the code (one argument, `code`). */
  templateId: string;
}

/**
 * One-time codes by SMS for a business (`login`, ...) and a phone (the seed's CodeService).
 * Knows nothing of HTTP: it throws AppErrors with module 02 codes.
 */
export class CodeService {
  constructor(private readonly deps: CodeServiceDeps) {}

  /**
   * Store first, then send: a code that was never stored is never sent. If the send fails
   * (the SMS service resolves once a vendor accepted it or it is queued for a retry, so a
   * rejection means neither happened), the code is discarded so the user can ask again at
   * once instead of waiting out the minute for a message that never came.
   */
  async send(biz: string, phone: string): Promise<void> {
    const { store, sms, clock, templateId } = this.deps;
    const key = `${biz}:${phone}`;
    const code = newCode();
    const stored = await this.guarded(() => store.set(key, code, clock.now()));
    if (stored === 'too_frequent') throw new AppError(CodeCodes.tooFrequent);
    try {
      await sms.send(templateId, [{ name: 'code', value: code }], phone);
    } catch (err) {
      await this.discardAfterFailedSend(key, code, biz);
      throw smsFailure(err);
    }
  }

  /** Resolves when `code` is right (and consumes it); throws a distinct 400 for each refusal. */
  async verify(biz: string, phone: string, code: string): Promise<void> {
    const { store, clock } = this.deps;
    const result = await this.guarded(() => store.verify(`${biz}:${phone}`, code, clock.now()));
    if (result !== 'ok') throw new AppError(REFUSALS[result]);
  }

  private async discardAfterFailedSend(key: string, code: string, biz: string): Promise<void> {
    try {
      await this.deps.store.discard(key, code);
    } catch (err) {
      // The code stays stored but unsent: the user waits out the resend minute. Rare (the
      // store failed between two calls); worth knowing about.
      this.deps.logger.error({ severity: 'P1', err, biz }, 'could not discard an unsent code');
    }
  }

  /** A store that cannot be reached is a 503 with its own code, not a generic failure. */
  private async guarded<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (isConnectivityError(err)) throw new AppError(CodeCodes.storeUnavailable, { cause: err });
      throw err;
    }
  }
}

function smsFailure(err: unknown): AppError {
  if (err instanceof AppError) return err; // e.g. the SMS service's own rate limit, already coded
  const rejected = err instanceof SmsError && err.failure === 'rejected';
  return new AppError(rejected ? CodeCodes.smsRejected : CodeCodes.smsUnavailable, { cause: err });
}
