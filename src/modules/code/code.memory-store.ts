import { LRUCache } from 'lru-cache';
import { DEFAULT_CODE_RULES, type CodeRules, type CodeStore, type SetResult, type VerifyResult } from './code.store.js';

interface Entry {
  /** '' once consumed: the entry stays so the resend wait still holds. */
  code: string;
  triesLeft: number;
  sentAt: number;
  expiresAt: number;
}

/**
 * The embedded code store. Each method does all its reads and writes without an `await`
 * in between, so on one event loop it is as atomic as the Redis scripts. Bounded by
 * entry count: under a flood of distinct phones the least recently used entries go first,
 * which at worst lets one of those phones ask for a new code early.
 */
export class MemoryCodeStore implements CodeStore {
  private readonly entries: LRUCache<string, Entry>;

  constructor(
    private readonly rules: CodeRules = DEFAULT_CODE_RULES,
    maxEntries = 100_000,
  ) {
    this.entries = new LRUCache<string, Entry>({ max: maxEntries });
  }

  async set(key: string, code: string, now: number): Promise<SetResult> {
    const current = this.entries.get(key);
    if (current && now < current.sentAt + this.rules.resendAfterMs) return 'too_frequent';
    this.entries.set(key, { code, triesLeft: this.rules.maxWrongTries, sentAt: now, expiresAt: now + this.rules.ttlMs });
    return 'stored';
  }

  async verify(key: string, code: string, now: number): Promise<VerifyResult> {
    const entry = this.entries.get(key);
    if (!entry || entry.code === '' || now >= entry.expiresAt) return 'expired';
    if (entry.triesLeft <= 0) return 'too_many_tries';
    if (entry.code === code) {
      entry.code = '';
      return 'ok';
    }
    entry.triesLeft -= 1;
    return 'wrong';
  }

  async discard(key: string, code: string): Promise<void> {
    if (this.entries.get(key)?.code === code) this.entries.delete(key);
  }
}
