import { LRUCache } from 'lru-cache';
import type { RateDecision, RateLimiter, RateRule } from './limiter.js';

/**
 * The times of one key's allowed requests, ascending, in a ring of doubles that grows
 * (doubling) only when full. A hit neither allocates nor copies: the whole-API limit keeps
 * a log per client address, and an array that was appended to and sliced now and then
 * reallocated its storage every few hundred hits of every key: storage that lives long
 * enough to reach the garbage collector's old generation, and whose every copy then waits
 * there for a full collection (docs/benchmarks.md, the read batches as columns).
 */
class SlidingLog {
  private times = new Float64Array(16);
  /** Where the oldest time is. */
  private head = 0;
  size = 0;

  /** The i-th oldest time. */
  private at(i: number): number {
    return this.times[(this.head + i) & (this.times.length - 1)]!;
  }

  oldest(): number {
    return this.at(0);
  }

  dropUpTo(limit: number): void {
    const mask = this.times.length - 1;
    while (this.size > 0 && this.times[this.head]! <= limit) {
      this.head = (this.head + 1) & mask;
      this.size--;
    }
  }

  /** Appends in order; a time earlier than the last (clock stepped back) goes where it belongs. */
  add(t: number): void {
    if (this.size === this.times.length) this.grow();
    const mask = this.times.length - 1;
    let i = this.size;
    for (; i > 0 && this.at(i - 1) > t; i--) this.times[(this.head + i) & mask] = this.at(i - 1);
    this.times[(this.head + i) & mask] = t;
    this.size++;
  }

  private grow(): void {
    const next = new Float64Array(this.times.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.at(i);
    this.times = next;
    this.head = 0;
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
