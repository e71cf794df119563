import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import { migrations } from '../db/migrations/index.js';
import { createSessionModule, type SessionModule } from '../modules/session/session.module.js';
import { createUserModule, type UserModule } from '../modules/user/user.module.js';
import { systemClock, type Clock } from '../pkg/clock/clock.js';
import { argon2Hasher, type PasswordHasher } from '../pkg/crypto/password.js';
import { createMigrator, migrateToLatest, pendingMigrations } from '../pkg/db/migrator.js';
import { createMetrics, type HttpMetrics } from '../pkg/http/metrics.js';
import { createLogger, type Logger } from '../pkg/logger/logger.js';
import { openBackends, type Backends } from './backends.js';

/** Everything a test may replace: a fixed clock, a cheap hasher, a quiet logger, other backends. */
export interface Overrides {
  clock?: Clock;
  hasher?: PasswordHasher;
  logger?: Logger;
  backends?: Backends;
}

/** The object graph of one Webook process (the seed's ioc), built by hand from config. */
export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  backends: Backends;
  metrics: HttpMetrics;
  sessions: SessionModule;
  users: UserModule;
  /** Applies pending migrations (development start, `npm run migrate`). */
  migrate(): Promise<string[]>;
  /** Names of migrations not applied yet. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export function buildContainer(config: Config, overrides: Overrides = {}): Container {
  const logger = overrides.logger ?? createLogger(config.log.level);
  const clock = overrides.clock ?? systemClock;
  const backends = overrides.backends ?? openBackends(config, logger);
  const { database, cache, limiter } = backends;
  const hasher = overrides.hasher ?? argon2Hasher(config.auth.argon2);

  const sessions = createSessionModule({
    db: database.db,
    cache,
    clock,
    secrets: { access: config.auth.accessSecret, refresh: config.auth.refreshSecret },
    ttlSeconds: { access: config.auth.accessTtlSeconds, refresh: config.auth.refreshTtlSeconds },
  });
  const users = createUserModule({
    db: database.db,
    dialect: database.dialect,
    cache,
    clock,
    hasher,
    limiter,
    authRule: config.rateLimit.auth,
    sessions,
  });

  const migrator = () => createMigrator(database.db as unknown as Kysely<unknown>, database.dialect, migrations);
  return {
    config,
    logger,
    clock,
    backends,
    metrics: createMetrics(),
    sessions,
    users,
    migrate: async () => (await migrateToLatest(migrator())).map((r) => r.migrationName),
    pendingMigrations: () => pendingMigrations(migrator()),
    close: async () => {
      await database.close();
      await cache.close();
      for (const conn of backends.redis) await conn.quit().catch(() => conn.disconnect());
    },
  };
}
