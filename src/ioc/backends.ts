import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { DB } from '../db/schema.js';
import type { Cache } from '../pkg/cache/cache.js';
import { MemoryCache } from '../pkg/cache/memory-cache.js';
import { NearCache } from '../pkg/cache/near-cache.js';
import { RedisCache, openRedis } from '../pkg/cache/redis-cache.js';
import { RedisInvalidationBus } from '../pkg/cache/redis-invalidation.js';
import { openDatabase, type Database } from '../pkg/db/database.js';
import type { Logger } from '../pkg/logger/logger.js';
import type { RateLimiter } from '../pkg/ratelimit/limiter.js';
import { MemoryRateLimiter } from '../pkg/ratelimit/memory-limiter.js';
import { RedisRateLimiter } from '../pkg/ratelimit/redis-limiter.js';

/** The servers Webook talks to, chosen by URL: the only place that picks an adapter. */
export interface Backends {
  database: Database<DB>;
  cache: Cache;
  limiter: RateLimiter;
  /** Redis connections to close on shutdown (none in embedded mode). */
  redis: Redis[];
  /** Resolves when the near cache hears invalidations (until then it reads through). */
  ready(): Promise<void>;
}

/**
 * Keys read on nearly every request and written rarely: sessions ("still alive?") and
 * users (the profile). In production each instance keeps them for a few seconds in front
 * of Redis, invalidated on every write through Redis pub/sub (pkg/cache/near-cache.ts).
 */
export const NEAR_CACHED = { prefixes: ['session:', 'user:info:'], localTtlMs: 5_000 };

export function openBackends(config: Config, logger: Logger): Backends {
  const database = openDatabase<DB>(config.db.url, {
    pool: config.db.pool,
    onIdleError: (err) => logger.error({ severity: 'P1', err }, 'idle database connection lost'),
  });
  if (config.cache.url === 'memory') {
    return { database, cache: new MemoryCache(), limiter: new MemoryRateLimiter(), redis: [], ready: async () => {} };
  }
  return { database, ...openRedisBackends(config.cache.url, config.cache.prefix, logger) };
}

/** Cache and limiter on Redis, as production runs them (also used by tests). */
export function openRedisBackends(url: string, prefix: string, logger: Logger): Omit<Backends, 'database'> {
  const redis = openRedis(url, prefix);
  const subscriber = redis.duplicate();
  for (const conn of [redis, subscriber]) {
    conn.on('error', (err) => logger.error({ severity: 'P0', err }, 'redis connection error'));
  }
  const bus = new RedisInvalidationBus(redis, subscriber);
  return {
    cache: new NearCache(new RedisCache(redis), bus, NEAR_CACHED),
    limiter: new RedisRateLimiter(redis),
    redis: [redis, subscriber],
    ready: () => bus.start(),
  };
}
