/**
 * Sliding-window rate limiting (the seed's pkg/ratelimit): a request at time `now` is
 * allowed when fewer than `max` requests were allowed for the same key in the window
 * (now - windowMs, now]. Only allowed requests count. Both adapters (memory, Redis Lua)
 * implement exactly this and are held to one contract suite.
 */
export interface RateRule {
  max: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** When denied: ms until the oldest counted request leaves the window. 0 when allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  hit(key: string, rule: RateRule, now: number): Promise<RateDecision>;
  /** Sends what is still only counted in process, for the limiters that sync (before Redis is closed). */
  close?(): Promise<void>;
}
