import { LRUCache } from 'lru-cache';
import type { RateDecision, RateLimiter, RateRule } from './limiter.js';

/**
 * The in-process sliding log: per key, the times of allowed requests in ascending
 * order (kept sorted even if the clock steps back, as a Redis sorted set would be). Synchronous code between awaits makes each hit atomic, as the Lua script is
 * in Redis. Idle keys age out of the LRU after their window.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly logs = new LRUCache<string, number[]>({ max: 500_000, ttlAutopurge: false });

  async hit(key: string, rule: RateRule, now: number): Promise<RateDecision> {
    let log = this.logs.get(key);
    if (!log) {
      log = [];
    } else {
      let expired = 0;
      while (expired < log.length && log[expired]! <= now - rule.windowMs) expired++;
      if (expired > 0) log.splice(0, expired);
    }
    if (log.length >= rule.max) {
      return { allowed: false, remaining: 0, retryAfterMs: log[0]! + rule.windowMs - now };
    }
    insertSorted(log, now);
    this.logs.set(key, log, { ttl: rule.windowMs });
    return { allowed: true, remaining: rule.max - log.length, retryAfterMs: 0 };
  }
}

/** Appends in order; a time earlier than the last (clock stepped back) is placed where it belongs. */
function insertSorted(log: number[], t: number): void {
  let i = log.length;
  while (i > 0 && log[i - 1]! > t) i--;
  log.splice(i, 0, t);
}
