import type { RetryPolicy } from './retry.sms.js';

export type SmsProviderName = 'log' | 'tencent' | 'aliyun';

export interface TencentConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region: string;
  endpoint: string;
  templates: Record<string, string>;
}

export interface AliyunConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  regionId: string;
  endpoint: string;
  templates: Record<string, string>;
}

/** The SMS part of the config tree (built from WEBOOK_SMS_* in src/config/). */
export interface SmsConfig {
  /** In failover order. Empty: none configured (production without WEBOOK_SMS_PROVIDERS); sends fail `unavailable`. */
  providers: SmsProviderName[];
  timeoutMs: number;
  failover: { mode: 'round_robin' | 'timeout'; timeoutThreshold: number };
  retry: RetryPolicy;
  rateLimit: { max: number; windowMs: number };
  async: {
    enabled: boolean;
    resendCron: string;
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    /** A request older than this is given up instead of sent (a login code is dead after 10 minutes). */
    maxAgeMs: number;
    /** Beyond this many pending requests a failing send is not queued but fails (a flood must not fill the database). */
    maxPending: number;
    leaseMs: number;
    batchSize: number;
  };
  /** Secret of the caller tokens (auth decorator); without it there is no authenticated entry. */
  callerSecret: string | undefined;
  tencent: TencentConfig | undefined;
  aliyun: AliyunConfig | undefined;
}

/** The WEBOOK_SMS_* variables as env.ts types them. */
export interface SmsEnv {
  WEBOOK_SMS_PROVIDERS?: string;
  WEBOOK_SMS_ALLOW_LOG_PROVIDER: boolean;
  WEBOOK_SMS_TIMEOUT_MS: number;
  WEBOOK_SMS_FAILOVER: 'round_robin' | 'timeout';
  WEBOOK_SMS_FAILOVER_TIMEOUTS: number;
  WEBOOK_SMS_RETRY_ATTEMPTS: number;
  WEBOOK_SMS_RETRY_BASE_MS: number;
  WEBOOK_SMS_RETRY_MAX_MS: number;
  WEBOOK_SMS_RATELIMIT_MAX: number;
  WEBOOK_SMS_RATELIMIT_WINDOW_MS: number;
  WEBOOK_SMS_ASYNC: boolean;
  WEBOOK_SMS_RESEND_CRON: string;
  WEBOOK_SMS_ASYNC_MAX_ATTEMPTS: number;
  WEBOOK_SMS_ASYNC_DELAY_MS: number;
  WEBOOK_SMS_ASYNC_MAX_DELAY_MS: number;
  WEBOOK_SMS_ASYNC_MAX_AGE_MS: number;
  WEBOOK_SMS_ASYNC_MAX_PENDING: number;
  WEBOOK_SMS_CALLER_SECRET?: string;
  WEBOOK_SMS_TENCENT_SECRET_ID?: string;
  WEBOOK_SMS_TENCENT_SECRET_KEY?: string;
  WEBOOK_SMS_TENCENT_APP_ID?: string;
  WEBOOK_SMS_TENCENT_SIGN_NAME?: string;
  WEBOOK_SMS_TENCENT_REGION: string;
  WEBOOK_SMS_TENCENT_ENDPOINT: string;
  WEBOOK_SMS_TENCENT_TEMPLATES?: string;
  WEBOOK_SMS_ALIYUN_ACCESS_KEY_ID?: string;
  WEBOOK_SMS_ALIYUN_ACCESS_KEY_SECRET?: string;
  WEBOOK_SMS_ALIYUN_SIGN_NAME?: string;
  WEBOOK_SMS_ALIYUN_REGION: string;
  WEBOOK_SMS_ALIYUN_ENDPOINT: string;
  WEBOOK_SMS_ALIYUN_TEMPLATES?: string;
}

function templateMap(name: string, raw: string | undefined, problems: string[]): Record<string, string> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string')) {
      return parsed as Record<string, string>;
    }
  } catch {
    // reported below
  }
  problems.push(`${name}: must be a JSON object of template name -> vendor template id`);
  return {};
}

/** Names the variables a chosen vendor still lacks. */
function requireAll(vendor: string, values: Record<string, string | undefined>, problems: string[]): boolean {
  const missing = Object.entries(values).filter(([, v]) => !v).map(([k]) => k);
  for (const name of missing) problems.push(`${name}: required when WEBOOK_SMS_PROVIDERS includes ${vendor}`);
  return missing.length === 0;
}

function tencentConfig(env: SmsEnv, providers: SmsProviderName[], problems: string[]): TencentConfig | undefined {
  const templates = templateMap('WEBOOK_SMS_TENCENT_TEMPLATES', env.WEBOOK_SMS_TENCENT_TEMPLATES, problems);
  if (!providers.includes('tencent')) return undefined;
  const credentials = {
    WEBOOK_SMS_TENCENT_SECRET_ID: env.WEBOOK_SMS_TENCENT_SECRET_ID,
    WEBOOK_SMS_TENCENT_SECRET_KEY: env.WEBOOK_SMS_TENCENT_SECRET_KEY,
    WEBOOK_SMS_TENCENT_APP_ID: env.WEBOOK_SMS_TENCENT_APP_ID,
    WEBOOK_SMS_TENCENT_SIGN_NAME: env.WEBOOK_SMS_TENCENT_SIGN_NAME,
  };
  if (!requireAll('tencent', credentials, problems)) return undefined;
  return {
    secretId: env.WEBOOK_SMS_TENCENT_SECRET_ID!,
    secretKey: env.WEBOOK_SMS_TENCENT_SECRET_KEY!,
    sdkAppId: env.WEBOOK_SMS_TENCENT_APP_ID!,
    signName: env.WEBOOK_SMS_TENCENT_SIGN_NAME!,
    region: env.WEBOOK_SMS_TENCENT_REGION,
    endpoint: env.WEBOOK_SMS_TENCENT_ENDPOINT,
    templates,
  };
}

function aliyunConfig(env: SmsEnv, providers: SmsProviderName[], problems: string[]): AliyunConfig | undefined {
  const templates = templateMap('WEBOOK_SMS_ALIYUN_TEMPLATES', env.WEBOOK_SMS_ALIYUN_TEMPLATES, problems);
  if (!providers.includes('aliyun')) return undefined;
  const credentials = {
    WEBOOK_SMS_ALIYUN_ACCESS_KEY_ID: env.WEBOOK_SMS_ALIYUN_ACCESS_KEY_ID,
    WEBOOK_SMS_ALIYUN_ACCESS_KEY_SECRET: env.WEBOOK_SMS_ALIYUN_ACCESS_KEY_SECRET,
    WEBOOK_SMS_ALIYUN_SIGN_NAME: env.WEBOOK_SMS_ALIYUN_SIGN_NAME,
  };
  if (!requireAll('aliyun', credentials, problems)) return undefined;
  return {
    accessKeyId: env.WEBOOK_SMS_ALIYUN_ACCESS_KEY_ID!,
    accessKeySecret: env.WEBOOK_SMS_ALIYUN_ACCESS_KEY_SECRET!,
    signName: env.WEBOOK_SMS_ALIYUN_SIGN_NAME!,
    regionId: env.WEBOOK_SMS_ALIYUN_REGION,
    endpoint: env.WEBOOK_SMS_ALIYUN_ENDPOINT,
    templates,
  };
}

/**
 * Stage two for SMS: which providers, with which credentials, and the production rule
 * for the log provider. Problems go into `problems`, reported with everything else.
 */
export function smsConfigFrom(env: SmsEnv, mode: 'development' | 'production', problems: string[]): SmsConfig {
  const raw = env.WEBOOK_SMS_PROVIDERS ?? (mode === 'development' ? 'log' : 'none');
  const providers = raw === 'none' ? [] : ([...new Set(raw.split(','))] as SmsProviderName[]);
  if (mode === 'production' && providers.includes('log') && !env.WEBOOK_SMS_ALLOW_LOG_PROVIDER) {
    problems.push('WEBOOK_SMS_PROVIDERS: the log provider writes login codes to the log; production refuses it unless WEBOOK_SMS_ALLOW_LOG_PROVIDER=true');
  }
  const retry = { maxAttempts: env.WEBOOK_SMS_RETRY_ATTEMPTS, baseDelayMs: env.WEBOOK_SMS_RETRY_BASE_MS, maxDelayMs: env.WEBOOK_SMS_RETRY_MAX_MS };
  // A claim must outlast the slowest send through the stack (every provider timing out, every retry waiting its longest).
  const slowestSend = retry.maxAttempts * (Math.max(providers.length, 1) * env.WEBOOK_SMS_TIMEOUT_MS + retry.maxDelayMs);
  return {
    providers,
    timeoutMs: env.WEBOOK_SMS_TIMEOUT_MS,
    failover: { mode: env.WEBOOK_SMS_FAILOVER, timeoutThreshold: env.WEBOOK_SMS_FAILOVER_TIMEOUTS },
    retry,
    rateLimit: { max: env.WEBOOK_SMS_RATELIMIT_MAX, windowMs: env.WEBOOK_SMS_RATELIMIT_WINDOW_MS },
    async: {
      enabled: env.WEBOOK_SMS_ASYNC,
      resendCron: env.WEBOOK_SMS_RESEND_CRON,
      maxAttempts: env.WEBOOK_SMS_ASYNC_MAX_ATTEMPTS,
      baseDelayMs: env.WEBOOK_SMS_ASYNC_DELAY_MS,
      maxDelayMs: env.WEBOOK_SMS_ASYNC_MAX_DELAY_MS,
      maxAgeMs: env.WEBOOK_SMS_ASYNC_MAX_AGE_MS,
      maxPending: env.WEBOOK_SMS_ASYNC_MAX_PENDING,
      leaseMs: Math.max(60_000, 2 * slowestSend),
      batchSize: 100,
    },
    callerSecret: env.WEBOOK_SMS_CALLER_SECRET,
    tencent: tencentConfig(env, providers, problems),
    aliyun: aliyunConfig(env, providers, problems),
  };
}
