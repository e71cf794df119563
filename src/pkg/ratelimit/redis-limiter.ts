import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateDecision, RateLimiter, RateRule } from './limiter.js';

/**
 * The sliding log in a sorted set, trimmed, counted and appended in one Lua script so
 * concurrent requests on many API instances can never overshoot the limit.
 * Returns {allowed, count, retryAfterMs}.
 */
const SLIDING_WINDOW = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= max then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, count, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('PEXPIRE', key, window)
return {1, count + 1, 0}`;

type RedisWithLimiter = Redis & {
  webookSlidingWindow(key: string, windowMs: number, max: number, now: number, member: string): Promise<[number, number, number]>;
};

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisWithLimiter;
  private seq = 0;
  private readonly instance = randomBytes(6).toString('base64url');

  constructor(redis: Redis) {
    redis.defineCommand('webookSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW });
    this.redis = redis as RedisWithLimiter;
  }

  async hit(key: string, rule: RateRule, now: number): Promise<RateDecision> {
    // Members must be unique: two hits in the same millisecond are two requests.
    const member = `${now}:${this.instance}:${++this.seq}`;
    const [allowed, count, retryAfterMs] = await this.redis.webookSlidingWindow(
      `rl:${key}`,
      rule.windowMs,
      rule.max,
      now,
      member,
    );
    return allowed === 1
      ? { allowed: true, remaining: rule.max - count, retryAfterMs: 0 }
      : { allowed: false, remaining: 0, retryAfterMs };
  }
}
