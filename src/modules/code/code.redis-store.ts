import type { Redis } from 'ioredis';
import { DEFAULT_CODE_RULES, type CodeRules, type CodeStore, type SetResult, type VerifyResult } from './code.store.js';

/**
 * One hash per key: c (the code, '' once used), left (wrong tries left), sent and exp
 * (epoch ms from the caller's clock). The key's own TTL only collects garbage; `exp`
 * decides. Numbers travel as the strings JavaScript made (no number formatting in Lua).
 *
 * ARGV: code, now, expiresAt, resendNotBefore (= now - resendAfterMs), tries, keyTtlMs.
 * Answers 1 stored, 0 too frequent.
 */
const SET_CODE = `
local sent = tonumber(redis.call('HGET', KEYS[1], 'sent'))
if sent and sent > tonumber(ARGV[4]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'c', ARGV[1], 'left', ARGV[5], 'sent', ARGV[2], 'exp', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1`;

/** ARGV: code, now. Answers 1 ok (consumed), -1 wrong, -2 too many tries, 0 expired / used / none. */
const VERIFY_CODE = `
local h = redis.call('HMGET', KEYS[1], 'c', 'left', 'exp')
if not h[1] or h[1] == '' or tonumber(ARGV[2]) >= tonumber(h[3]) then return 0 end
local left = tonumber(h[2])
if left <= 0 then return -2 end
if h[1] == ARGV[1] then
  redis.call('HSET', KEYS[1], 'c', '')
  return 1
end
redis.call('HINCRBY', KEYS[1], 'left', -1)
return -1`;

/** ARGV: code. Deletes the hash only while it still holds this code. */
const DISCARD_CODE = `
if redis.call('HGET', KEYS[1], 'c') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type WithScripts = Redis & {
  webookSetCode(key: string, ...args: (string | number)[]): Promise<number>;
  webookVerifyCode(key: string, code: string, now: number): Promise<number>;
  webookDiscardCode(key: string, code: string): Promise<number>;
};

const VERIFY_ANSWERS: Record<number, VerifyResult> = { 1: 'ok', [-1]: 'wrong', [-2]: 'too_many_tries', 0: 'expired' };

/**
 * The production code store: each operation is one Lua script, so concurrent sends and
 * verifies on any number of API instances are decided one at a time by Redis. Keys live
 * under the client's prefix (`code:<biz>:<phone>`). A Redis fault surfaces as the
 * client's error; the service turns it into a 503.
 */
export class RedisCodeStore implements CodeStore {
  private readonly redis: WithScripts;

  constructor(
    redis: Redis,
    private readonly rules: CodeRules = DEFAULT_CODE_RULES,
  ) {
    redis.defineCommand('webookSetCode', { numberOfKeys: 1, lua: SET_CODE });
    redis.defineCommand('webookVerifyCode', { numberOfKeys: 1, lua: VERIFY_CODE });
    redis.defineCommand('webookDiscardCode', { numberOfKeys: 1, lua: DISCARD_CODE });
    this.redis = redis as WithScripts;
  }

  async set(key: string, code: string, now: number): Promise<SetResult> {
    const { ttlMs, resendAfterMs, maxWrongTries } = this.rules;
    // The hash outlives the code when the resend wait is longer, so the wait still holds.
    const keyTtl = Math.max(ttlMs, resendAfterMs) + 60_000;
    const stored = await this.redis.webookSetCode(`code:${key}`, code, now, now + ttlMs, now - resendAfterMs, maxWrongTries, keyTtl);
    return Number(stored) === 1 ? 'stored' : 'too_frequent';
  }

  async verify(key: string, code: string, now: number): Promise<VerifyResult> {
    return VERIFY_ANSWERS[Number(await this.redis.webookVerifyCode(`code:${key}`, code, now))] ?? 'expired';
  }

  async discard(key: string, code: string): Promise<void> {
    await this.redis.webookDiscardCode(`code:${key}`, code);
  }
}
