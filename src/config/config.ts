import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { smsConfigFrom, type SmsConfig } from '../modules/sms/sms.config.js';
import { ConfigError, parseEnv, type Env } from './env.js';
import { cronInterval } from '../jobs/job.domain.js';

export type Mode = 'development' | 'production';
export type LogLevel = Env['LOG_LEVEL'];

export interface RateLimitRule {
  max: number;
  windowMs: number;
}

/** The typed configuration tree every part of Webook receives. */
export interface Config {
  mode: Mode;
  /** webDir: the built UI to serve (undefined: the package's web/dist; null: none). */
  http: { host: string; port: number; trustProxy: boolean; corsOrigins: string[] | true; webDir?: string | null };
  log: { level: LogLevel };
  /** heapGrowthPercent: see pkg/runtime/heap-growth.ts (the server process only). */
  runtime: { heapGrowthPercent: number };
  dataDir: string;
  db: { url: string; pool: number; migrateOnStart: boolean };
  cache: { url: string; prefix: string };
  /** The event bus: in-process (`memory`) or NATS JetStream. */
  bus: { url: string; stream: string; subjectPrefix: string };
  /** Whether this instance runs the event consumers (API-only instances may not), their batching, and how often reads are published. */
  consumers: { enabled: boolean; readBatch: { size: number; waitMs: number }; readFlushMs: number };
  /** Whether this instance runs scheduled jobs (API-only instances may not), and the scheduler's timing (docs/jobs.md). */
  jobs: { enabled: boolean; scheduler: { pollMs: number; leaseMs: number } };
  /** The hot list: the job's schedule, its pass, its lock's lease, and how long each cache tier keeps the result. */
  ranking: {
    job: { cron: string; config: { topN: number; windowHours: number; batchSize: number }; lockTtlMs: number };
    store: { sharedTtlMs: number; localTtlMs: number };
  };
  /** Authors with more followers than pushMaxFollowers are pulled into feeds at read time instead of pushed (docs/social.md). */
  feed: { pushMaxFollowers: number };
  auth: {
    accessSecret: string;
    refreshSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    argon2: { memoryKib: number; timeCost: number };
  };
  /** apiSyncMs, apiRefreshMs: see SyncedRateLimiter (production only; apiSyncMs 0 = the exact per-request limiter for the API too). */
  rateLimit: { api: RateLimitRule; auth: RateLimitRule; apiSyncMs: number; apiRefreshMs: number };
  /** The SMS service: providers, decorators, async resending (docs/sms.md). */
  sms: SmsConfig;
  login: LoginConfig;
}

/** One OAuth2 app: ours at the provider, and the provider's endpoints (configurable so fakes and mirrors work). */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Our callback as registered with the provider. */
  redirectUrl: string;
  authorizeUrl: string;
  /** Where the code is exchanged for an access token. */
  tokenUrl: string;
  /** The API base (GitHub: `/user` under it). */
  apiUrl: string;
}

/** SMS-code and OAuth2 login. A provider left unconfigured is null and its routes answer 404. */
export interface LoginConfig {
  smsTemplateId: string;
  oauth: { successUrl: string; wechat: OAuthClientConfig | null; github: OAuthClientConfig | null };
}

/**
 * Stage two: the typed env becomes a config tree, with the checks that span fields.
 * Production refuses to start without secrets; development generates them once and
 * keeps them in the data dir so logins survive a restart.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const env = parseEnv(source);
  const mode = env.WEBOOK_MODE;
  const problems: string[] = [];
  const dataDir = path.resolve(env.WEBOOK_DATA_DIR);

  let accessSecret = env.WEBOOK_JWT_ACCESS_SECRET;
  let refreshSecret = env.WEBOOK_JWT_REFRESH_SECRET;
  if (mode === 'production') {
    if (!accessSecret) problems.push('WEBOOK_JWT_ACCESS_SECRET: required in production (32+ characters)');
    if (!refreshSecret) problems.push('WEBOOK_JWT_REFRESH_SECRET: required in production (32+ characters)');
    if (!env.WEBOOK_DB) problems.push('WEBOOK_DB: required in production (mysql://, postgres:// or sqlite:)');
  }
  if (accessSecret && accessSecret === refreshSecret) {
    problems.push('WEBOOK_JWT_REFRESH_SECRET: must differ from WEBOOK_JWT_ACCESS_SECRET');
  }
  problems.push(...rankingProblems(env));
  if (env.WEBOOK_REFRESH_TTL_SECONDS <= env.WEBOOK_ACCESS_TTL_SECONDS) {
    problems.push('WEBOOK_REFRESH_TTL_SECONDS: must be longer than WEBOOK_ACCESS_TTL_SECONDS');
  }
  const login = loginConfig(env, problems);
  const sms = smsConfigFrom(env, mode, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  if (!accessSecret || !refreshSecret) {
    const dev = developmentSecrets(dataDir);
    accessSecret ??= dev.access;
    refreshSecret ??= dev.refresh;
  }

  const cors = env.WEBOOK_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    mode,
    runtime: { heapGrowthPercent: env.WEBOOK_HEAP_GROWTH_PERCENT },
    http: {
      host: env.HOST ?? (mode === 'production' ? '0.0.0.0' : '127.0.0.1'),
      port: env.PORT,
      trustProxy: env.WEBOOK_TRUST_PROXY,
      corsOrigins: cors.length > 0 ? cors : mode === 'development' ? true : [],
      webDir: env.WEBOOK_WEB_DIR === 'off' ? null : env.WEBOOK_WEB_DIR ? path.resolve(env.WEBOOK_WEB_DIR) : undefined,
    },
    log: { level: env.LOG_LEVEL },
    dataDir,
    db: {
      url: env.WEBOOK_DB ?? `sqlite:${path.join(dataDir, 'webook.db')}`,
      pool: env.WEBOOK_DB_POOL,
      migrateOnStart: mode === 'development',
    },
    cache: { url: env.WEBOOK_CACHE, prefix: env.WEBOOK_CACHE_PREFIX },
    bus: { url: env.WEBOOK_BUS, stream: env.WEBOOK_BUS_STREAM, subjectPrefix: env.WEBOOK_BUS_SUBJECT_PREFIX },
    consumers: {
      enabled: env.WEBOOK_CONSUMERS,
      readBatch: { size: env.WEBOOK_READ_BATCH_SIZE, waitMs: env.WEBOOK_READ_BATCH_WAIT_MS },
      readFlushMs: env.WEBOOK_READ_FLUSH_MS,
    },
    jobs: { enabled: env.WEBOOK_JOBS, scheduler: { pollMs: env.WEBOOK_JOBS_POLL_MS, leaseMs: env.WEBOOK_JOBS_LEASE_MS } },
    ranking: {
      job: {
        cron: env.WEBOOK_RANKING_CRON,
        config: { topN: env.WEBOOK_RANKING_TOP_N, windowHours: env.WEBOOK_RANKING_WINDOW_HOURS, batchSize: env.WEBOOK_RANKING_BATCH },
        lockTtlMs: env.WEBOOK_JOBS_LEASE_MS,
      },
      store: { sharedTtlMs: env.WEBOOK_RANKING_TTL_MS, localTtlMs: env.WEBOOK_RANKING_LOCAL_TTL_MS },
    },
    feed: { pushMaxFollowers: env.WEBOOK_FEED_PUSH_MAX_FOLLOWERS },
    auth: {
      accessSecret,
      refreshSecret,
      accessTtlSeconds: env.WEBOOK_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: env.WEBOOK_REFRESH_TTL_SECONDS,
      argon2: { memoryKib: env.WEBOOK_ARGON2_MEMORY_KIB, timeCost: env.WEBOOK_ARGON2_TIME_COST },
    },
    rateLimit: {
      api: { max: env.WEBOOK_RATELIMIT_API_MAX, windowMs: env.WEBOOK_RATELIMIT_API_WINDOW_MS },
      auth: { max: env.WEBOOK_RATELIMIT_AUTH_MAX, windowMs: env.WEBOOK_RATELIMIT_AUTH_WINDOW_MS },
      apiSyncMs: env.WEBOOK_RATELIMIT_API_SYNC_MS,
      apiRefreshMs: env.WEBOOK_RATELIMIT_API_REFRESH_MS,
    },
    login,
    sms,
  };
}

/** An OAuth app is all three of id, secret and redirect URL, or nothing (a half-configured one is a mistake). */
function oauthClient(name: string, parts: [string | undefined, string | undefined, string | undefined], problems: string[]) {
  const [clientId, clientSecret, redirectUrl] = parts;
  if (!clientId && !clientSecret && !redirectUrl) return null;
  if (!clientId || !clientSecret || !redirectUrl) {
    problems.push(`WEBOOK_OAUTH_${name}_*: set the id, the secret and the redirect URL together (or none of them)`);
    return null;
  }
  return { clientId, clientSecret, redirectUrl };
}

function loginConfig(env: Env, problems: string[]): LoginConfig {
  const wechat = oauthClient('WECHAT', [env.WEBOOK_OAUTH_WECHAT_APP_ID, env.WEBOOK_OAUTH_WECHAT_APP_SECRET, env.WEBOOK_OAUTH_WECHAT_REDIRECT_URL], problems);
  const github = oauthClient('GITHUB', [env.WEBOOK_OAUTH_GITHUB_CLIENT_ID, env.WEBOOK_OAUTH_GITHUB_CLIENT_SECRET, env.WEBOOK_OAUTH_GITHUB_REDIRECT_URL], problems);
  return {
    smsTemplateId: env.WEBOOK_SMS_LOGIN_TEMPLATE,
    oauth: {
      successUrl: env.WEBOOK_OAUTH_SUCCESS_URL,
      wechat: wechat && {
        ...wechat,
        authorizeUrl: env.WEBOOK_OAUTH_WECHAT_AUTHORIZE_URL,
        tokenUrl: `${env.WEBOOK_OAUTH_WECHAT_API_URL.replace(/\/$/, '')}/sns/oauth2/access_token`,
        apiUrl: env.WEBOOK_OAUTH_WECHAT_API_URL,
      },
      github: github && {
        ...github,
        authorizeUrl: env.WEBOOK_OAUTH_GITHUB_AUTHORIZE_URL,
        tokenUrl: env.WEBOOK_OAUTH_GITHUB_TOKEN_URL,
        apiUrl: env.WEBOOK_OAUTH_GITHUB_API_URL,
      },
    },
  };
}

/** The ranking cron must parse, and the shared copy must outlive the gap between two runs (or readers see it vanish). */
function rankingProblems(env: Env): string[] {
  let interval: number;
  try {
    interval = cronInterval(env.WEBOOK_RANKING_CRON, Date.now());
  } catch (err) {
    return [`WEBOOK_RANKING_CRON: not a cron expression (${(err as Error).message})`];
  }
  return env.WEBOOK_RANKING_TTL_MS > interval ? [] : [`WEBOOK_RANKING_TTL_MS: must be longer than the ranking job's interval (${interval} ms)`];
}

/** Development only: random secrets created on first start, readable by the owner only. */
function developmentSecrets(dataDir: string): { access: string; refresh: string } {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { access: string; refresh: string };
  mkdirSync(dataDir, { recursive: true });
  const secrets = { access: randomBytes(32).toString('base64url'), refresh: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}
