/**
 * The one-time code store (the seed's code cache with its two Lua scripts). Two adapters
 * hold to it, `MemoryCodeStore` (embedded) and `RedisCodeStore` (production), and one
 * contract suite (test/contract/code-store.contract.test.ts) proves they answer alike,
 * including under concurrency.
 *
 * Times come from the caller's clock (`now`, epoch ms), not from the store's, so both
 * adapters follow the same clock and tests can move it. Keys are `<biz>:<phone>`.
 */
export interface CodeRules {
  /** How long a code may be used after it was sent. */
  ttlMs: number;
  /** No second code for the same key sooner than this after the last one. */
  resendAfterMs: number;
  /** Wrong answers a code survives; the next attempt after them is refused, even with the right code. */
  maxWrongTries: number;
}

export const DEFAULT_CODE_RULES: CodeRules = { ttlMs: 10 * 60_000, resendAfterMs: 60_000, maxWrongTries: 3 };

export type SetResult = 'stored' | 'too_frequent';

/**
 * `ok`: right code, now consumed. `wrong`: one of the allowed wrong tries. `too_many_tries`:
 * the code is dead. `expired`: no live code (never sent, expired, or already used).
 */
export type VerifyResult = 'ok' | 'wrong' | 'too_many_tries' | 'expired';

export interface CodeStore {
  /** Stores `code` for `key` unless the previous code was set less than `resendAfterMs` ago. */
  set(key: string, code: string, now: number): Promise<SetResult>;
  /** Checks and, when right, consumes the code: of any number of concurrent right answers one gets `ok`. */
  verify(key: string, code: string, now: number): Promise<VerifyResult>;
  /**
   * Forgets `code` if it is still the one stored (its SMS could not be sent), which also
   * lifts the resend wait, so the user may ask again at once.
   */
  discard(key: string, code: string): Promise<void>;
}
