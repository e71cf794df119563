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
  WEBOOK_READ_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
  WEBOOK_READ_BATCH_WAIT_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 200 }),
  WEBOOK_READ_FLUSH_MS: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  WEBOOK_JWT_ACCESS_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  WEBOOK_JWT_REFRESH_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  WEBOOK_ACCESS_TTL_SECONDS: Type.Integer({ minimum: 10, default: 30 * 60 }),
  WEBOOK_REFRESH_TTL_SECONDS: Type.Integer({ minimum: 60, default: 7 * 24 * 3600 }),
  WEBOOK_ARGON2_MEMORY_KIB: Type.Integer({ minimum: 1024, default: 19456 }),
  WEBOOK_ARGON2_TIME_COST: Type.Integer({ minimum: 1, default: 2 }),
  WEBOOK_RATELIMIT_API_MAX: Type.Integer({ minimum: 1, default: 1200 }),
  WEBOOK_RATELIMIT_API_WINDOW_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  WEBOOK_RATELIMIT_AUTH_MAX: Type.Integer({ minimum: 1, default: 10 }),
  WEBOOK_RATELIMIT_AUTH_WINDOW_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  WEBOOK_TRUST_PROXY: Type.Boolean({ default: false }),
  WEBOOK_CORS_ORIGINS: Type.String({ default: '' }),
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
