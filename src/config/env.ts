import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every environment variable Webook reads, with its default. This is the only
 * place that knows variable names; the rest of the code receives a typed Config.
 */
export const EnvSchema = Type.Object({
  WEBOOK_MODE: Type.Union([Type.Literal('development'), Type.Literal('production')], { default: 'development' }),
  HOST: Type.Optional(Type.String()),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  WEBOOK_DATA_DIR: Type.String({ default: './data' }),
  WEBOOK_DB: Type.Optional(Type.String({ pattern: '^(sqlite:|mysql://|mariadb://|postgres://|postgresql://)' })),
  WEBOOK_DB_POOL: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  WEBOOK_CACHE: Type.String({ pattern: '^(memory|rediss?://.+)$', default: 'memory' }),
  WEBOOK_CACHE_PREFIX: Type.String({ default: 'webook:' }),
  WEBOOK_BUS: Type.String({ pattern: '^(memory|nats://.+)$', default: 'memory' }),
  WEBOOK_BUS_STREAM: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'WEBOOK' }),
  WEBOOK_BUS_SUBJECT_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'webook' }),
  WEBOOK_CONSUMERS: Type.Boolean({ default: true }),
  WEBOOK_JOBS: Type.Boolean({ default: true }),
  WEBOOK_JOBS_POLL_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 1000 }),
  WEBOOK_JOBS_LEASE_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 30_000 }),
  WEBOOK_RANKING_CRON: Type.String({ minLength: 9, maxLength: 128, default: '*/3 * * * *' }),
  WEBOOK_RANKING_TOP_N: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  WEBOOK_RANKING_WINDOW_HOURS: Type.Integer({ minimum: 1, maximum: 87_600, default: 7 * 24 }),
  WEBOOK_RANKING_BATCH: Type.Integer({ minimum: 10, maximum: 10_000, default: 5000 }),
  WEBOOK_RANKING_TTL_MS: Type.Integer({ minimum: 1000, maximum: 7 * 24 * 3600_000, default: 15 * 60_000 }),
  WEBOOK_RANKING_LOCAL_TTL_MS: Type.Integer({ minimum: 0, maximum: 600_000, default: 10_000 }),
  WEBOOK_FEED_PUSH_MAX_FOLLOWERS: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 1000 }),
  WEBOOK_READ_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  // Five seconds of reads are counted together: each article's counter row is written once
  // per batch, so a longer wait writes fewer rows (docs/events.md; docs/benchmarks.md).
  WEBOOK_READ_BATCH_WAIT_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 5000 }),
  WEBOOK_READ_FLUSH_MS: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  WEBOOK_JWT_ACCESS_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  WEBOOK_JWT_REFRESH_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  WEBOOK_ACCESS_TTL_SECONDS: Type.Integer({ minimum: 10, default: 30 * 60 }),
  WEBOOK_REFRESH_TTL_SECONDS: Type.Integer({ minimum: 60, default: 7 * 24 * 3600 }),
  WEBOOK_ARGON2_MEMORY_KIB: Type.Integer({ minimum: 1024, default: 19456 }),
  WEBOOK_ARGON2_TIME_COST: Type.Integer({ minimum: 1, default: 2 }),
  WEBOOK_RATELIMIT_API_MAX: Type.Integer({ minimum: 1, default: 1200 }),
  WEBOOK_RATELIMIT_API_WINDOW_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  /** With Redis: how often instances exchange the API limit's counts (ms); 0 asks Redis on every request (exact, slower). */
  WEBOOK_RATELIMIT_API_SYNC_MS: Type.Integer({ minimum: 0, maximum: 10_000, default: 100 }),
  /** With Redis: how long a client far below the API limit may keep its hits unsent; one unsynced for twice this asks Redis first (ms). */
  WEBOOK_RATELIMIT_API_REFRESH_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  WEBOOK_RATELIMIT_AUTH_MAX: Type.Integer({ minimum: 1, default: 10 }),
  WEBOOK_RATELIMIT_AUTH_WINDOW_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  WEBOOK_TRUST_PROXY: Type.Boolean({ default: false }),
  /** The server's heap may grow to (1 + this / 100) times what is alive before a full collection; 0: V8 decides (pkg/runtime/heap-growth.ts). */
  WEBOOK_HEAP_GROWTH_PERCENT: Type.Integer({ minimum: 0, maximum: 400, default: 100 }),
  WEBOOK_CORS_ORIGINS: Type.String({ default: '' }),
  /** SMS service (src/modules/sms, docs/sms.md): providers in failover order; default `log` in development, `none` in production. */
  WEBOOK_SMS_PROVIDERS: Type.Optional(Type.String({ pattern: '^(none|(log|tencent|aliyun)(,(log|tencent|aliyun))*)$' })),
  WEBOOK_SMS_ALLOW_LOG_PROVIDER: Type.Boolean({ default: false }),
  WEBOOK_SMS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
  WEBOOK_SMS_FAILOVER: Type.Union([Type.Literal('round_robin'), Type.Literal('timeout')], { default: 'round_robin' }),
  WEBOOK_SMS_FAILOVER_TIMEOUTS: Type.Integer({ minimum: 1, maximum: 1000, default: 3 }),
  WEBOOK_SMS_RETRY_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  WEBOOK_SMS_RETRY_BASE_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 200 }),
  WEBOOK_SMS_RETRY_MAX_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 2000 }),
  WEBOOK_SMS_RATELIMIT_MAX: Type.Integer({ minimum: 1, default: 100 }),
  WEBOOK_SMS_RATELIMIT_WINDOW_MS: Type.Integer({ minimum: 100, default: 1000 }),
  WEBOOK_SMS_ASYNC: Type.Boolean({ default: true }),
  /** When the `sms-resend` job runs (six fields: seconds first; UTC). */
  WEBOOK_SMS_RESEND_CRON: Type.String({ minLength: 9, maxLength: 128, default: '*/5 * * * * *' }),
  WEBOOK_SMS_ASYNC_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  WEBOOK_SMS_ASYNC_DELAY_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 5000 }),
  WEBOOK_SMS_ASYNC_MAX_DELAY_MS: Type.Integer({ minimum: 1, maximum: 86_400_000, default: 300_000 }),
  WEBOOK_SMS_ASYNC_MAX_AGE_MS: Type.Integer({ minimum: 1000, default: 600_000 }),
  WEBOOK_SMS_ASYNC_MAX_PENDING: Type.Integer({ minimum: 1, default: 10_000 }),
  WEBOOK_SMS_CALLER_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  WEBOOK_SMS_TENCENT_SECRET_ID: Type.Optional(Type.String({ maxLength: 128 })),
  WEBOOK_SMS_TENCENT_SECRET_KEY: Type.Optional(Type.String({ maxLength: 256 })),
  WEBOOK_SMS_TENCENT_APP_ID: Type.Optional(Type.String({ maxLength: 64 })),
  WEBOOK_SMS_TENCENT_SIGN_NAME: Type.Optional(Type.String({ maxLength: 64 })),
  WEBOOK_SMS_TENCENT_REGION: Type.String({ pattern: '^[a-z0-9-]{1,32}$', default: 'ap-guangzhou' }),
  WEBOOK_SMS_TENCENT_ENDPOINT: Type.String({ pattern: '^https?://', default: 'https://sms.tencentcloudapi.com' }),
  WEBOOK_SMS_TENCENT_TEMPLATES: Type.Optional(Type.String()),
  WEBOOK_SMS_ALIYUN_ACCESS_KEY_ID: Type.Optional(Type.String({ maxLength: 128 })),
  WEBOOK_SMS_ALIYUN_ACCESS_KEY_SECRET: Type.Optional(Type.String({ maxLength: 256 })),
  WEBOOK_SMS_ALIYUN_SIGN_NAME: Type.Optional(Type.String({ maxLength: 64 })),
  WEBOOK_SMS_ALIYUN_REGION: Type.String({ pattern: '^[a-z0-9-]{1,32}$', default: 'cn-hangzhou' }),
  WEBOOK_SMS_ALIYUN_ENDPOINT: Type.String({ pattern: '^https?://', default: 'https://dysmsapi.aliyuncs.com' }),
  WEBOOK_SMS_ALIYUN_TEMPLATES: Type.Optional(Type.String()),
  /** SMS login (src/modules/code): the template that carries the 6-digit code as its one argument `code`. */
  WEBOOK_SMS_LOGIN_TEMPLATE: Type.String({ minLength: 1, maxLength: 64, default: 'login_code' }),
  /** OAuth2 login (src/modules/oauth2): a provider is on when its id, secret and redirect URL are all set. */
  WEBOOK_OAUTH_SUCCESS_URL: Type.String({ minLength: 1, default: '/' }),
  WEBOOK_OAUTH_WECHAT_APP_ID: Type.Optional(Type.String({ maxLength: 128 })),
  WEBOOK_OAUTH_WECHAT_APP_SECRET: Type.Optional(Type.String({ maxLength: 256 })),
  WEBOOK_OAUTH_WECHAT_REDIRECT_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  WEBOOK_OAUTH_WECHAT_AUTHORIZE_URL: Type.String({ pattern: '^https?://', default: 'https://open.weixin.qq.com/connect/qrconnect' }),
  WEBOOK_OAUTH_WECHAT_API_URL: Type.String({ pattern: '^https?://', default: 'https://api.weixin.qq.com' }),
  WEBOOK_OAUTH_GITHUB_CLIENT_ID: Type.Optional(Type.String({ maxLength: 128 })),
  WEBOOK_OAUTH_GITHUB_CLIENT_SECRET: Type.Optional(Type.String({ maxLength: 256 })),
  WEBOOK_OAUTH_GITHUB_REDIRECT_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  WEBOOK_OAUTH_GITHUB_AUTHORIZE_URL: Type.String({ pattern: '^https?://', default: 'https://github.com/login/oauth/authorize' }),
  WEBOOK_OAUTH_GITHUB_TOKEN_URL: Type.String({ pattern: '^https?://', default: 'https://github.com/login/oauth/access_token' }),
  WEBOOK_OAUTH_GITHUB_API_URL: Type.String({ pattern: '^https?://', default: 'https://api.github.com' }),
  /** The built web UI to serve; empty: the package's web/dist; `off`: serve no UI. */
  WEBOOK_WEB_DIR: Type.String({ default: '' }),
});
export type Env = Static<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Stage one: raw strings to typed values, reporting every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const known = Object.keys(EnvSchema.properties);
  const picked: Record<string, unknown> = {};
  for (const name of known) {
    const raw = source[name];
    if (raw !== undefined && raw !== '') picked[name] = raw;
  }
  const withDefaults = Value.Default(EnvSchema, picked);
  const converted = Value.Convert(EnvSchema, withDefaults);
  const problems = [...Value.Errors(EnvSchema, converted)].map(
    (e) => `${e.instancePath.replace(/^\//, '') || 'environment'}: ${e.message}`,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return converted as Env;
}
