import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { fenceKeyOf, type DistributedLock, type FencedWriter, type LockLease } from './lock.js';

/** SET NX PX, and on success the next fence from a counter that never expires. */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0`;

/** Compare-and-extend: only the token's owner moves the expiry. */
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** Compare-and-delete: only the token's owner frees the lock. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Writes value and fence together unless a newer fence already wrote. */
const FENCED_SET = `
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < last then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1`;

type RedisWithLockScripts = Redis & {
  webookLockAcquire(key: string, fenceKey: string, token: string, ttlMs: number): Promise<number>;
  webookLockExtend(key: string, token: string, ttlMs: number): Promise<number>;
  webookLockRelease(key: string, token: string): Promise<number>;
  webookFencedSet(key: string, fenceKey: string, fence: number, value: string, ttlMs: number): Promise<number>;
};

const lockKey = (name: string) => `lock:${name}`;

function withScripts(redis: Redis): RedisWithLockScripts {
  redis.defineCommand('webookLockAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  redis.defineCommand('webookLockExtend', { numberOfKeys: 1, lua: EXTEND });
  redis.defineCommand('webookLockRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('webookFencedSet', { numberOfKeys: 2, lua: FENCED_SET });
  return redis as RedisWithLockScripts;
}

/**
 * The production adapter on one Redis (the connection's key prefix applies). Each
 * operation is one script, so check and change are atomic. The connection is the
 * caller's: close() leaves it open.
 */
export class RedisLock implements DistributedLock {
  private readonly redis: RedisWithLockScripts;

  constructor(redis: Redis) {
    this.redis = withScripts(redis);
  }

  async tryAcquire(name: string, ttlMs: number): Promise<LockLease | null> {
    const token = randomBytes(16).toString('hex');
    const key = lockKey(name);
    const fence = await this.redis.webookLockAcquire(key, fenceKeyOf(key), token, Math.max(1, Math.ceil(ttlMs)));
    return fence > 0 ? { name, token, fence } : null;
  }

  async extend(lease: LockLease, ttlMs: number): Promise<boolean> {
    return (await this.redis.webookLockExtend(lockKey(lease.name), lease.token, Math.max(1, Math.ceil(ttlMs)))) === 1;
  }

  async release(lease: LockLease): Promise<boolean> {
    return (await this.redis.webookLockRelease(lockKey(lease.name), lease.token)) === 1;
  }

  async close(): Promise<void> {}
}

export class RedisFencedWriter implements FencedWriter {
  private readonly redis: RedisWithLockScripts;

  constructor(redis: Redis) {
    this.redis = withScripts(redis);
  }

  async write(key: string, fence: number, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.webookFencedSet(key, fenceKeyOf(key), fence, value, Math.max(1, Math.ceil(ttlMs)))) === 1;
  }
}
