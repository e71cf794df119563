import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { DB } from '../db/schema.js';
import type { Cache } from '../pkg/cache/cache.js';
import { MemoryCache } from '../pkg/cache/memory-cache.js';
import { NearCache } from '../pkg/cache/near-cache.js';
import { RedisCache, openRedis } from '../pkg/cache/redis-cache.js';
import { RedisInvalidationBus } from '../pkg/cache/redis-invalidation.js';
import { openDatabase, type Database } from '../pkg/db/database.js';
import type { EventBus } from '../pkg/events/bus.js';
import { MemoryBus } from '../pkg/events/memory-bus.js';
import { NatsBus } from '../pkg/events/nats-bus.js';
import type { Logger } from '../pkg/logger/logger.js';
import type { RateLimiter } from '../pkg/ratelimit/limiter.js';
import { MemoryRateLimiter } from '../pkg/ratelimit/memory-limiter.js';
import { RedisRateLimiter } from '../pkg/ratelimit/redis-limiter.js';
import { SyncedRateLimiter, type SyncedRateLimiterOptions } from '../pkg/ratelimit/synced-limiter.js';

/** The servers Webook talks to, chosen by URL: the only place that picks an adapter. */
export interface Backends {
  database: Database<DB>;
  cache: Cache;
  /** Exact: logins, signups, SMS. */
  limiter: RateLimiter;
  /** The whole-API limit per client: with Redis, decided in process and synced (SyncedRateLimiter). */
  apiLimiter: RateLimiter;
  bus: EventBus;
  /** Redis connections to close on shutdown (none in embedded mode). */
  redis: Redis[];
  /** Resolves when the near cache hears invalidations (until then it reads through) and the bus answers. */
  ready(): Promise<void>;
}

/**
 * Keys read on nearly every request and written rarely: sessions ("still alive?"), users
 * (the profile, authors' names), published articles and what each reader liked and
 * collected (all of it in one entry per reader, read by every page they open;
 * interactive.cache.ts). In production each instance keeps them in front of Redis,
 * invalidated on every write through Redis pub/sub (pkg/cache/near-cache.ts); the local
 * lifetime only bounds how stale a copy gets should an invalidation be lost (a subscriber
 * cut off without noticing): 5 s for sessions, where that means a revoked one still works,
 * 30 s for the rest, which would otherwise be read again from Redis every few seconds (an
 * article's copy, several kilobytes decoded into its page, a thousand times a second under
 * the article bench's load). Counters are kept for 5 s at most (`statHashes`): a like or a
 * collect drops every instance's copy at once; reads, counted in batches, show once the
 * copies are refreshed. Kept for 1 s, a copy of an article read about once a second was
 * read again from Redis for nearly every page.
 */
export const NEAR_CACHED = {
  prefixes: ['session:', 'user:info:', 'article:pub:', 'interactive:reader:'],
  localTtlMs: 5_000,
  localTtlMsOf: { 'user:info:': 30_000, 'article:pub:': 30_000, 'interactive:reader:': 30_000 },
  statHashes: { prefixes: ['interactive:article:', 'interactive:comment:'], localTtlMs: 5_000 },
};

export function openBackends(config: Config, logger: Logger): Backends {
  const database = openDatabase<DB>(config.db.url, {
    pool: config.db.pool,
    onIdleError: (err) => logger.error({ severity: 'P1', err }, 'idle database connection lost'),
  });
  const bus = openBus(config, logger);
  const withBus = (ready: () => Promise<void>) => async () => {
    await ready();
    await bus.ping();
  };
  if (config.cache.url === 'memory') {
    const limiter = new MemoryRateLimiter(); // one process: exact and in memory for every rule
    return { database, bus, cache: new MemoryCache(), limiter, apiLimiter: limiter, redis: [], ready: withBus(async () => {}) };
  }
  const redis = openRedisBackends(config.cache.url, config.cache.prefix, logger, {
    apiSyncMs: config.rateLimit.apiSyncMs,
    apiRefreshMs: config.rateLimit.apiRefreshMs,
  });
  return { database, bus, ...redis, ready: withBus(redis.ready) };
}

/** In-process for the embedded default; NATS JetStream when WEBOOK_BUS is a nats:// URL. */
export function openBus(config: Pick<Config, 'bus'>, logger: Logger): EventBus {
  if (config.bus.url === 'memory') return new MemoryBus();
  return new NatsBus({
    url: config.bus.url,
    stream: config.bus.stream,
    subjectPrefix: config.bus.subjectPrefix,
    onStatus: (status) => {
      if (status.type === 'disconnect' || status.type === 'error') logger.error({ severity: 'P0', status: status.type, err: status.data }, 'event bus connection or consumer lost');
      else if (status.type === 'consumer_lost') logger.error({ severity: 'P1', status: status.data }, 'event consumer or stream lost, re-creating it');
      else if (status.type === 'reconnect' || status.type === 'consumer_restored') logger.warn({ severity: 'P2', status: status.data }, `event bus: ${status.type}`);
    },
  });
}

/** Cache and limiter on Redis, as production runs them (also used by tests). */
export function openRedisBackends(url: string, prefix: string, logger: Logger, opts: { apiSyncMs?: number; apiRefreshMs?: number } = {}): Omit<Backends, 'database' | 'bus'> {
  const redis = openRedis(url, prefix);
  const subscriber = redis.duplicate();
  for (const conn of [redis, subscriber]) {
    conn.on('error', (err) => logger.error({ severity: 'P0', err }, 'redis connection error'));
  }
  const bus = new RedisInvalidationBus(redis, subscriber);
  const limiter = new RedisRateLimiter(redis);
  return {
    cache: new NearCache(new RedisCache(redis), bus, NEAR_CACHED),
    limiter,
    apiLimiter: opts.apiSyncMs ? new SyncedRateLimiter(redis, apiSyncOptions(opts.apiSyncMs, opts.apiRefreshMs)) : limiter,
    redis: [redis, subscriber],
    ready: () => bus.start(),
  };
}

/**
 * The whole-API limiter's cadence: keys near their limit sync every `syncMs`, quiet ones
 * every `refreshMs`, and a key unsynced for two refreshes (a client back after a pause)
 * asks Redis before it is decided. Without `refreshMs`, the limiter's own defaults.
 */
function apiSyncOptions(syncMs: number, refreshMs: number | undefined): SyncedRateLimiterOptions {
  if (refreshMs === undefined) return { syncMs };
  const refresh = Math.max(refreshMs, syncMs); // a key is never refreshed more often than it can sync
  return { syncMs, refreshMs: refresh, staleMs: 2 * refresh };
}
