import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { Logger } from '../pkg/logger/logger.js';
import type { DB } from '../db/schema.js';
import type { Cache } from '../pkg/cache/cache.js';
import { MemoryCache } from '../pkg/cache/memory-cache.js';
import { RedisCache, openRedis } from '../pkg/cache/redis-cache.js';
import { openDatabase, type Database } from '../pkg/db/database.js';
import type { RateLimiter } from '../pkg/ratelimit/limiter.js';
import { MemoryRateLimiter } from '../pkg/ratelimit/memory-limiter.js';
import { RedisRateLimiter } from '../pkg/ratelimit/redis-limiter.js';

/** The servers Webook talks to, chosen by URL: the only place that picks an adapter. */
export interface Backends {
  database: Database<DB>;
  cache: Cache;
  limiter: RateLimiter;
  redis: Redis | null;
}

export function openBackends(config: Config, logger: Logger): Backends {
  const database = openDatabase<DB>(config.db.url, {
    pool: config.db.pool,
    onIdleError: (err) => logger.error({ severity: 'P1', err }, 'idle database connection lost'),
  });
  if (config.cache.url === 'memory') {
    return { database, cache: new MemoryCache(), limiter: new MemoryRateLimiter(), redis: null };
  }
  const redis = openRedis(config.cache.url, config.cache.prefix);
  redis.on('error', (err) => logger.error({ severity: 'P0', err }, 'redis connection error'));
  return { database, cache: new RedisCache(redis), limiter: new RedisRateLimiter(redis), redis };
}
