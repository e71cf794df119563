import { LRUCache } from 'lru-cache';
import type { RateDecision, RateLimiter, RateRule } from './limiter.js';

/**
 * The times of one key's allowed requests, ascending. Expired times are dropped by
 * moving `head` (compacting now and then), so a hit costs O(1) amortised even when a
 * busy key holds tens of thousands of entries.
 */
class SlidingLog {
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  oldest(): number {
    return this.times[this.head]!;
  }

  dropUpTo(limit: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= limit) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Appends in order; a time earlier than the last (clock stepped back) goes where it belongs. */
  add(t: number): void {
    let i = this.times.length;
    while (i > this.head && this.times[i - 1]! > t) i--;
    if (i === this.times.length) this.times.push(t);
    else this.times.splice(i, 0, t);
  }
}

/**
 * The in-process sliding log. Synchronous code between awaits makes each hit atomic, as
 * the Lua script is in Redis. A hit costs one lookup: the log is stored once, when the key
 * is first seen, and every later hit works on the same object (a per-key TTL in the LRU
 * would mean a second lookup to refresh it on every hit, and expired times are dropped by
 * the hit anyway). The least recently hit keys are evicted first once `maxKeys` are held.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly logs: LRUCache<string, SlidingLog>;

  constructor(opts: { maxKeys?: number } = {}) {
    this.logs = new LRUCache<string, SlidingLog>({ max: opts.maxKeys ?? 500_000 });
  }

  async hit(key: string, rule: RateRule, now: number): Promise<RateDecision> {
    let log = this.logs.get(key);
    if (log) log.dropUpTo(now - rule.windowMs);
    else this.logs.set(key, (log = new SlidingLog()));
    if (log.size >= rule.max) {
      // (an empty log here means max is 0: nothing will ever pass; say "a whole window")
      const oldest = log.size > 0 ? log.oldest() : now;
      return { allowed: false, remaining: 0, retryAfterMs: oldest + rule.windowMs - now };
    }
    log.add(now);
    return { allowed: true, remaining: rule.max - log.size, retryAfterMs: 0 };
  }
}
