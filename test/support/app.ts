import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { buildContainer, type Container } from '../../src/ioc/container.js';
import { RedisCodeStore } from '../../src/modules/code/code.redis-store.js';
import type { SmsService } from '../../src/modules/sms/sms.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import { createLogger } from '../../src/pkg/logger/logger.js';
import { openCoordination } from '../../src/pkg/lock/hold.js';
import type { Dialect } from '../../src/pkg/db/dialect.js';
import { freshCache, freshDatabase, sameDatabase, type CacheKind } from './backends.js';
import { busKinds, freshBus, type BusKind, type TestBus } from './bus.js';

export const UA = 'Mozilla/5.0 (webook-tests)';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  clock: ManualClock;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The database URL, cache prefix and bus, for a second instance to share. */
  shared: { dbUrl: string; prefix: string; bus: TestBus };
  /** Resolves when the near cache listens for invalidations. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Production pairs Redis with NATS; the embedded stack keeps everything in-process. */
const busFor = (cache: CacheKind): BusKind => (cache === 'redis' && busKinds.includes('nats') ? 'nats' : 'memory');

/**
 * The real app on a fresh database, cache and bus of the given kinds, with its event
 * consumers running, a hand-moved clock, cheap argon2 parameters and the logs captured.
 * `env` overrides config.
 */
export async function buildTestApp(
  stack: { dialect: Dialect; cache: CacheKind; bus?: BusKind },
  env: Record<string, string> = {},
  opts: { shareWith?: TestApp; sms?: SmsService; shareable?: boolean } = {},
): Promise<TestApp> {
  const other = opts.shareWith;
  const clock = other?.clock ?? new ManualClock(Date.now());
  const db = other ? sameDatabase(other.shared.dbUrl) : await freshDatabase(stack.dialect, { shareable: opts.shareable });
  const cache = freshCache(stack.cache, { now: () => clock.now(), near: true, prefix: other?.shared.prefix });
  const bus = other ? other.shared.bus : await freshBus(stack.bus ?? busFor(stack.cache));
  const config = loadConfig({
    WEBOOK_MODE: 'production',
    WEBOOK_DB: db.url,
    WEBOOK_CACHE: cache.url,
    WEBOOK_CACHE_PREFIX: cache.prefix,
    WEBOOK_JWT_ACCESS_SECRET: 'test-access-secret-0123456789-abcdefghij',
    WEBOOK_JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789-abcdefghij',
    WEBOOK_ARGON2_MEMORY_KIB: '1024',
    WEBOOK_ARGON2_TIME_COST: '1',
    WEBOOK_RATELIMIT_API_MAX: '100000',
    WEBOOK_RATELIMIT_AUTH_MAX: '100000',
    WEBOOK_READ_BATCH_WAIT_MS: '20',
    WEBOOK_READ_FLUSH_MS: '10',
    // No scheduler loop behind a test's back: a test runs a job with container.jobs.scheduler.tick().
    WEBOOK_JOBS: 'false',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const container = buildContainer(config, {
    clock,
    logger: createLogger(config.log.level, sink),
    // Connections are closed below, by their owners.
    backends: { database: db.database, cache: cache.cache, limiter: cache.limiter, apiLimiter: cache.apiLimiter, bus: bus.bus, redis: [], ready: cache.ready },
    // Login codes on Redis as production keeps them (over the test's own connection).
    ...(cache.redis[0] && { codeStore: new RedisCodeStore(cache.redis[0]) }),
    // The lock and fenced writes on Redis too, as production takes them.
    ...(cache.redis[0] && { coordination: openCoordination(cache.redis[0], cache.cache, clock) }),
    ...(opts.sms && { sms: opts.sms }),
  });
  await container.start();
  const app = await buildApp(container);
  await app.ready();
  return {
    app,
    container,
    clock,
    logs,
    shared: { dbUrl: db.url, prefix: cache.prefix, bus },
    ready: cache.ready,
    close: async () => {
      await app.close();
      await container.drain();
      await db.drop();
      await cache.close();
      if (!other) await bus.close();
    },
  };
}

export const bodyOf = (res: LightMyRequestResponse) => res.json() as { code: number; msg: string; data: any };

export const STRONG_PASSWORD = 'hello#World1';

/** Signs up (and so logs in) a user; returns its tokens. */
export async function signup(app: FastifyInstance, email: string, password = STRONG_PASSWORD, ua = UA) {
  const res = await app.inject({
    method: 'POST',
    url: '/users/signup',
    headers: { 'user-agent': ua },
    payload: { email, password, confirmPassword: password },
  });
  if (res.statusCode !== 200) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  return tokensOf(res);
}

export function tokensOf(res: LightMyRequestResponse): { access: string; refresh: string } {
  return { access: String(res.headers['x-jwt-token']), refresh: String(res.headers['x-refresh-token']) };
}

export const authed = (token: string, ua = UA) => ({ authorization: `Bearer ${token}`, 'user-agent': ua });
