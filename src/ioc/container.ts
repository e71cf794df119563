import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import { migrations } from '../db/migrations/index.js';
import { codeStoreFor, createCodeModule, type CodeModule } from '../modules/code/code.module.js';
import type { CodeStore } from '../modules/code/code.store.js';
import type { SmsProvider, SmsService } from '../modules/sms/sms.js';
import { createSmsModule, type SmsModule } from '../modules/sms/sms.module.js';
import { createArticleModule, type ArticleModule } from '../modules/article/article.module.js';
import { createCommentModule, type CommentModule } from '../modules/comment/comment.module.js';
import { createConduitModule, type ConduitModule } from '../modules/conduit/conduit.module.js';
import { createFeedModule, type FeedModule } from '../modules/feed/feed.module.js';
import { createFollowModule, type FollowModule } from '../modules/follow/follow.module.js';
import { createSearchModule, type SearchModule } from '../modules/search/search.module.js';
import { createInteractiveModule, type InteractiveModule } from '../modules/interactive/interactive.module.js';
import type { Platform } from '../modules/platform.js';
import { createOAuthModule, type OAuthModule } from '../modules/oauth2/oauth2.module.js';
import { createSessionModule, type SessionModule } from '../modules/session/session.module.js';
import { createUserModule, type UserModule } from '../modules/user/user.module.js';
import { systemClock, type Clock } from '../pkg/clock/clock.js';
import { argon2Hasher, type PasswordHasher } from '../pkg/crypto/password.js';
import type { Consumer } from '../pkg/events/consumers.js';
import { createEventMetrics } from '../pkg/events/metrics.js';
import { EventOutbox } from '../pkg/events/outbox.js';
import { createMigrator, migrateToLatest, pendingMigrations } from '../pkg/db/migrator.js';
import { isInMemorySqlite } from '../pkg/db/database.js';
import { createMetrics, type HttpMetrics } from '../pkg/http/metrics.js';
import { createJobs, type Jobs } from '../jobs/jobs.module.js';
import { createRankingModule, type RankingModule } from '../modules/ranking/ranking.module.js';
import { openCoordination, type Coordination } from '../pkg/lock/hold.js';
import { createLogger, type Logger } from '../pkg/logger/logger.js';
import { openBackends, type Backends } from './backends.js';

/** Everything a test may replace: a fixed clock, a cheap hasher, a quiet logger, other backends. */
export interface Overrides {
  clock?: Clock;
  hasher?: PasswordHasher;
  logger?: Logger;
  backends?: Backends;
  /** The distributed lock and fenced writes (tests on Redis pass them over their own connection). */
  coordination?: Coordination;
  /** The SMS service login codes go through (tests: a fake that records what was sent). */
  sms?: SmsService;
  /** The SMS vendors under the decorator stack (tests: a fake that times out, errors or throttles). */
  smsProviders?: SmsProvider[];
  /** The one-time code store (tests on Redis pass the Redis store over their own connection). */
  codeStore?: CodeStore;
}

/** The object graph of one Webook process (the seed's ioc), built by hand from config. */
export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  backends: Backends;
  /** Events written in their change's transaction (article lifecycle, user renames), relayed to the bus after it. */
  outbox: Pick<EventOutbox, 'pending'>;
  metrics: HttpMetrics;
  sessions: SessionModule;
  users: UserModule;
  codes: CodeModule;
  /** OAuth2 login (WeChat, GitHub): docs/login.md. */
  oauth2: OAuthModule;
  /** The SMS service and its resender (docs/sms.md). */
  sms: SmsModule;
  interactive: InteractiveModule;
  articles: ArticleModule;
  ranking: RankingModule;
  /** The job scheduler (register jobs here, below) and the operator's view of the jobs (docs/jobs.md). */
  jobs: Jobs;
  search: SearchModule;
  comments: CommentModule;
  follows: FollowModule;
  feed: FeedModule;
  /** The RealWorld "Conduit" API under /api (docs/conduit.md). */
  conduit: ConduitModule;
  /** Waits for the servers, then starts the event consumers (unless config turns them off). */
  start(): Promise<void>;
  /** Publishes buffered read events, finishes (or hands back) the batches in hand, stops consuming. */
  drain(): Promise<void>;
  /** Applies pending migrations (development start, `npm run migrate`). */
  migrate(): Promise<string[]>;
  /** Names of migrations not applied yet. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

const LEDGER_KEEP_MS = 7 * 24 * 3600_000;
/** How often the outbox is retried when a relay right after a commit failed (bus down). */
const OUTBOX_RELAY_MS = 1000;

export function buildContainer(config: Config, overrides: Overrides = {}): Container {
  const logger = overrides.logger ?? createLogger(config.log.level);
  const clock = overrides.clock ?? systemClock;
  const backends = overrides.backends ?? openBackends(config, logger);
  const { database, cache, limiter, bus } = backends;
  const hasher = overrides.hasher ?? argon2Hasher(config.auth.argon2);
  const metrics = createMetrics();
  // One outbox for every module's events: written in the change's transaction, relayed after the commit.
  const outbox = new EventOutbox(database.db, bus, logger);

  const sessions = createSessionModule({
    db: database.db,
    cache,
    clock,
    secrets: { access: config.auth.accessSecret, refresh: config.auth.refreshSecret },
    ttlSeconds: { access: config.auth.accessTtlSeconds, refresh: config.auth.refreshTtlSeconds },
  });
  const sms = createSmsModule({ db: database.db, limiter, clock, logger, config: config.sms, providers: overrides.smsProviders, registry: metrics.registry });
  const codes = createCodeModule({
    // Redis when the process has it (the Lua scripts), in-process otherwise.
    store: overrides.codeStore ?? codeStoreFor(backends.redis[0]),
    sms: overrides.sms ?? sms.service,
    clock,
    logger,
    templateId: config.login.smsTemplateId,
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
    codes,
    outbox,
  });
  const oauth2 = createOAuthModule({
    config: config.login.oauth,
    serverSecret: config.auth.accessSecret,
    secureCookies: config.mode === 'production',
    users,
    sessions,
    limiter,
    clock,
    authRule: config.rateLimit.auth,
  });

  const platform: Platform = { db: database.db, dialect: database.dialect, cache, bus, outbox, clock, logger };
  const eventMetrics = createEventMetrics(metrics.registry);
  const interactive = createInteractiveModule({
    ...platform,
    sessions,
    readCounter: {
      batchSize: config.consumers.readBatch.size,
      batchWaitMs: config.consumers.readBatch.waitMs,
      // On SQLite a counting transaction holds the file's write lock, which the server's own
      // writes wait for: 2,000 reads over 5,000 articles hold it about 7 ms. Each commit
      // writes every page it touched, so smaller parts cost more per read (500: 2.4-5.5 ms
      // each, twice the CPU and the writes per read; docs/benchmarks.md). A server database
      // locks rows, not the file: there a batch is one transaction, and each counter row is
      // written once per batch (in parts, every part of a busy batch wrote nearly every row).
      readsPerTransaction: database.dialect === 'sqlite' ? 2000 : Number.POSITIVE_INFINITY,
      // SQLite runs statements on the caller's thread: the embedded file's reads are counted on a thread of their own.
      threadDbUrl: database.dialect === 'sqlite' && !isInMemorySqlite(config.db.url) ? config.db.url : undefined,
      metrics: eventMetrics,
    },
  });
  const articles = createArticleModule({
    ...platform,
    readBatch: { maxBatch: 500, flushMs: config.consumers.readFlushMs, maxBuffered: 50_000 },
    sessions,
    users,
    interactive,
  });
  const coordination = overrides.coordination ?? openCoordination(backends.redis[0], cache, clock);
  const ranking = createRankingModule({ ...platform, articles, interactive, users, ...coordination, store: config.ranking.store, job: config.ranking.job });
  const jobs = createJobs({ db: database.db, dialect: database.dialect, clock, logger, registry: metrics.registry, options: config.jobs.scheduler });
  // Every scheduled job, one line each: a module exports a JobDefinition (name, cron, config, handler).
  jobs.scheduler.register(ranking.job);
  jobs.scheduler.register(sms.resendJob);
  const search = createSearchModule({ ...platform, articles, users });
  const comments = createCommentModule({ ...platform, sessions, users, articles, interactive });
  const follows = createFollowModule({ ...platform, sessions, users });
  const feed = createFeedModule({ ...platform, sessions, users, articles, comments, follows, pushMaxFollowers: config.feed.pushMaxFollowers, metrics: eventMetrics });
  const conduit = createConduitModule({ ...platform, sessions, users, articles, interactive, comments, follows, limiter, authRule: config.rateLimit.auth, errorsTotal: metrics.errorsTotal });

  const consumers: Consumer[] = [];
  let pruneTimer: NodeJS.Timeout | undefined;
  const start = async () => {
    await backends.ready();
    if (config.jobs.enabled) await jobs.scheduler.start();
    sms.start();
    // Every instance relays its own outbox rows (API-only ones too): producing is not consuming.
    outbox.start(OUTBOX_RELAY_MS);
    if (!config.consumers.enabled) return;
    consumers.push(...(await interactive.startConsumers()));
    consumers.push(...(await search.startConsumers()));
    consumers.push(...(await feed.startConsumers()));
    // The consumers' ledger of applied events only has to outlive redelivery (minutes); a week is plenty.
    const prune = () =>
      interactive.service.pruneProcessed(LEDGER_KEEP_MS).catch((err: unknown) => logger.warn({ severity: 'P2', err }, 'pruning the event ledger failed'));
    pruneTimer = setInterval(prune, 3600_000).unref();
  };

  const drain = async () => {
    clearInterval(pruneTimer);
    // Runs in progress finish (up to one lease) and free their rows; later ones are left to other instances.
    await jobs.scheduler.stop();
    await articles.flushReads();
    await outbox.stop();
    for (const consumer of consumers.splice(0)) await consumer.close();
  };

  const migrator = () => createMigrator(database.db as unknown as Kysely<unknown>, database.dialect, migrations);
  return {
    config,
    logger,
    clock,
    backends,
    outbox,
    metrics,
    sessions,
    users,
    codes,
    oauth2,
    sms,
    interactive,
    articles,
    ranking,
    jobs,
    search,
    comments,
    follows,
    feed,
    conduit,
    start,
    drain,
    migrate: async () => (await migrateToLatest(migrator())).map((r) => r.migrationName),
    pendingMigrations: () => pendingMigrations(migrator()),
    close: async () => {
      // Background work first: reads published and batches finished while the bus and database are still there.
      await drain();
      await interactive.close();
      await bus.close();
      await database.close();
      await cache.close();
      await backends.apiLimiter.close?.().catch(() => {}); // Redis gone: those hits are a sync interval's at most
      for (const conn of backends.redis) await conn.quit().catch(() => conn.disconnect());
    },
  };
}
