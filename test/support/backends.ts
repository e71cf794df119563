import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Kysely, sql } from 'kysely';
import { migrations } from '../../src/db/migrations/index.js';
import type { DB } from '../../src/db/schema.js';
import type { Cache } from '../../src/pkg/cache/cache.js';
import { MemoryCache } from '../../src/pkg/cache/memory-cache.js';
import { RedisCache, openRedis } from '../../src/pkg/cache/redis-cache.js';
import { openDatabase, type Database } from '../../src/pkg/db/database.js';
import type { Dialect } from '../../src/pkg/db/dialect.js';
import { createMigrator, migrateToLatest } from '../../src/pkg/db/migrator.js';
import type { RateLimiter } from '../../src/pkg/ratelimit/limiter.js';
import { MemoryRateLimiter } from '../../src/pkg/ratelimit/memory-limiter.js';
import { RedisRateLimiter } from '../../src/pkg/ratelimit/redis-limiter.js';
import { openRedisBackends } from '../../src/ioc/backends.js';
import { pino } from 'pino';

/**
 * The test matrix (Kysely's own approach): SQLite and the memory cache always; MariaDB,
 * PostgreSQL and Redis when their admin URLs are in the environment. CI sets
 * WEBOOK_TEST_REQUIRE_ALL=1 so a missing server fails the run instead of shrinking it.
 */
const urls = {
  mysql: process.env.WEBOOK_TEST_MYSQL_URL,
  postgres: process.env.WEBOOK_TEST_PG_URL,
  redis: process.env.WEBOOK_TEST_REDIS_URL,
};

if (process.env.WEBOOK_TEST_REQUIRE_ALL === '1') {
  const missing = Object.entries(urls).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) throw new Error(`WEBOOK_TEST_REQUIRE_ALL=1 but no URL for: ${missing.join(', ')}`);
}

export const dialects: Dialect[] = ['sqlite', ...(urls.mysql ? ['mysql' as const] : []), ...(urls.postgres ? ['postgres' as const] : [])];
export type CacheKind = 'memory' | 'redis';
export const cacheKinds: CacheKind[] = ['memory', ...(urls.redis ? ['redis' as const] : [])];

/** The app-level combinations: embedded, and each server database with Redis. */
export const stacks: { dialect: Dialect; cache: CacheKind }[] = [
  { dialect: 'sqlite', cache: 'memory' },
  ...(urls.mysql && urls.redis ? [{ dialect: 'mysql' as const, cache: 'redis' as const }] : []),
  ...(urls.postgres && urls.redis ? [{ dialect: 'postgres' as const, cache: 'redis' as const }] : []),
];

const uniqueName = () => `wbt_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Another connection pool to an existing database (a second API instance). */
export function sameDatabase(url: string): { database: Database<DB>; url: string; drop(): Promise<void> } {
  const database = openDatabase<DB>(url, { pool: 20 });
  return { database, url, drop: () => database.close() };
}

/**
 * A brand-new, migrated database of the given dialect; drop() removes it. SQLite is in
 * memory unless `shareable`: then a file in a temporary directory, which a second instance
 * (sameDatabase) can open too.
 */
export async function freshDatabase(
  dialect: Dialect,
  opts: { shareable?: boolean } = {},
): Promise<{ database: Database<DB>; url: string; drop(): Promise<void> }> {
  let url: string;
  let dropDb: () => Promise<void> = async () => {};
  if (dialect === 'sqlite' && opts.shareable) {
    const dir = mkdtempSync(path.join(tmpdir(), 'webook-test-'));
    url = `sqlite:${path.join(dir, 'shared.db')}`;
    dropDb = async () => rmSync(dir, { recursive: true, force: true });
  } else if (dialect === 'sqlite') {
    url = 'sqlite::memory:';
  } else {
    const adminUrl = (dialect === 'mysql' ? urls.mysql : urls.postgres)!;
    const name = uniqueName();
    const admin = openDatabase<unknown>(adminUrl, { pool: 1 });
    const create = dialect === 'mysql' ? `create database ${name} character set utf8mb4 collate utf8mb4_bin` : `create database ${name}`;
    await sql.raw(create).execute(admin.db);
    await admin.close();
    url = withDatabase(adminUrl, name);
    dropDb = async () => {
      const again = openDatabase<unknown>(adminUrl, { pool: 1 });
      await sql.raw(`drop database if exists ${name}`).execute(again.db);
      await again.close();
    };
  }
  const database = openDatabase<DB>(url, { pool: 20 });
  await migrateToLatest(createMigrator(database.db as unknown as Kysely<unknown>, dialect, migrations));
  return {
    database,
    url,
    drop: async () => {
      await database.close();
      await dropDb();
    },
  };
}

export interface TestCache {
  cache: Cache;
  limiter: RateLimiter;
  /** The whole-API limiter production pairs with this cache (synced through Redis with the near cache). */
  apiLimiter: RateLimiter;
  redis: Redis[];
  url: string;
  prefix: string;
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface CacheOptions {
  now?: () => number;
  /** Redis only: the production composition (near cache over Redis) instead of bare Redis. */
  near?: boolean;
  /** Share another instance's keys (a second API instance); only the owner deletes them. */
  prefix?: string;
}

/** A cache and limiter of the given kind, under a key prefix no other test uses. */
export function freshCache(kind: CacheKind, opts: CacheOptions = {}): TestCache {
  const prefix = opts.prefix ?? `${uniqueName()}:`;
  if (kind === 'memory') {
    const limiter = new MemoryRateLimiter();
    return {
      cache: new MemoryCache(opts),
      limiter,
      apiLimiter: limiter,
      redis: [],
      url: 'memory',
      prefix,
      ready: async () => {},
      close: async () => {},
    };
  }
  const quiet = pino({ level: 'silent' });
  const parts = opts.near
    ? openRedisBackends(urls.redis!, prefix, quiet, { apiSyncMs: 100 })
    : (() => {
        const redis = openRedis(urls.redis!, prefix);
        const limiter: RateLimiter = new RedisRateLimiter(redis);
        return { cache: new RedisCache(redis), limiter, apiLimiter: limiter, redis: [redis], ready: async () => {} };
      })();
  return {
    ...parts,
    url: urls.redis!,
    prefix,
    close: async () => {
      await parts.apiLimiter.close?.();
      for (const conn of parts.redis) await conn.quit();
      if (opts.prefix) return;
      const raw = new Redis(urls.redis!);
      let cursor = '0';
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await raw.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await raw.quit();
    },
  };
}
