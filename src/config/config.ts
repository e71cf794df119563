import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parseEnv, type Env } from './env.js';

export type Mode = 'development' | 'production';
export type LogLevel = Env['LOG_LEVEL'];

export interface RateLimitRule {
  max: number;
  windowMs: number;
}

/** The typed configuration tree every part of Webook receives. */
export interface Config {
  mode: Mode;
  http: { host: string; port: number; trustProxy: boolean; corsOrigins: string[] | true };
  log: { level: LogLevel };
  dataDir: string;
  db: { url: string; pool: number; migrateOnStart: boolean };
  cache: { url: string; prefix: string };
  /** The event bus: in-process (`memory`) or NATS JetStream. */
  bus: { url: string; stream: string; subjectPrefix: string };
  /** Whether this instance runs the event consumers (API-only instances may not), their batching, and how often reads are published. */
  consumers: { enabled: boolean; readBatch: { size: number; waitMs: number }; readFlushMs: number };
  auth: {
    accessSecret: string;
    refreshSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    argon2: { memoryKib: number; timeCost: number };
  };
  rateLimit: { api: RateLimitRule; auth: RateLimitRule };
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
  if (env.WEBOOK_REFRESH_TTL_SECONDS <= env.WEBOOK_ACCESS_TTL_SECONDS) {
    problems.push('WEBOOK_REFRESH_TTL_SECONDS: must be longer than WEBOOK_ACCESS_TTL_SECONDS');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  if (!accessSecret || !refreshSecret) {
    const dev = developmentSecrets(dataDir);
    accessSecret ??= dev.access;
    refreshSecret ??= dev.refresh;
  }

  const cors = env.WEBOOK_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    mode,
    http: {
      host: env.HOST ?? (mode === 'production' ? '0.0.0.0' : '127.0.0.1'),
      port: env.PORT,
      trustProxy: env.WEBOOK_TRUST_PROXY,
      corsOrigins: cors.length > 0 ? cors : mode === 'development' ? true : [],
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
    },
  };
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
