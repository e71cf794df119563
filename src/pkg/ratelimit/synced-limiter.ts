import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { RateDecision, RateLimiter, RateRule } from './limiter.js';
import { luaScript } from './lua-script.js';

/**
 * One sync of many keys. For key pair j, KEYS[2j-1] counts the current window and KEYS[2j]
 * the previous one; ARGV[1] is their TTL (ms) and ARGV[2j], ARGV[2j+1] the hits this
 * instance adds to each. Answers the totals after the additions, current then previous,
 * per key. Only counters that grow get a TTL: a counter is only ever created by INCRBY.
 */
const SYNC_WINDOWS = `
local ttl = ARGV[1]
local out = {}
for i = 1, #KEYS do
  local add = tonumber(ARGV[i + 1])
  if add > 0 then
    out[i] = redis.call('INCRBY', KEYS[i], add)
    redis.call('PEXPIRE', KEYS[i], ttl)
  else
    out[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
  end
end
return out`;

const syncWindows = luaScript(SYNC_WINDOWS);

// Taken when this module loads: a test's fake timers must not hold back a sync.
const nextTurn = globalThis.setImmediate;

interface Waiter {
  rule: RateRule;
  now: number;
  resolve(decision: RateDecision): void;
  reject(err: unknown): void;
}

/** What one instance knows of a key, for the fixed windows `window - 1` and `window`. */
class KeyState {
  window = -Infinity;
  /** Every instance's allowed hits, as the last sync answered. */
  prev = 0;
  curr = 0;
  /** This instance's allowed hits not yet sent (sent ones are in prev / curr once answered). */
  unsentPrev = 0;
  unsent = 0;
  /** The limiter's time when the last answered sync was sent. */
  syncedAt = -Infinity;
  /** The key's limit, as its last hit gave it. */
  max = 0;
  /**
   * Allowed hits this instance may leave unsent before the key is due for a sync: a share
   * of the room the last sync's totals left under the limit.
   */
  allowance = 0;
  /** Syncs out for this key. */
  inFlight = 0;
  dirty = false;
  /** Hits that wait for a sync answer, in arrival order. */
  waiting: Waiter[] | undefined;

  /** Its counters' keys in Redis, without the window number. */
  readonly redisKey: string;

  constructor(
    readonly key: string,
    readonly windowMs: number,
  ) {
    this.redisKey = `rlw:${windowMs}:${key}:`;
  }

  /** Moves to the window of `now` (never back: a clock stepped back counts in the current one). */
  roll(now: number): void {
    const window = Math.floor(now / this.windowMs);
    if (window <= this.window) return;
    if (window === this.window + 1) {
      this.prev = this.curr;
      this.unsentPrev = this.unsent;
    } else {
      this.prev = 0;
      this.unsentPrev = 0; // two windows back: no decision anywhere reads it any more
    }
    this.curr = 0;
    this.unsent = 0;
    this.window = window;
  }

  decide(rule: RateRule, now: number): RateDecision {
    const w = this.windowMs;
    const intoWindow = Math.min(Math.max(now - this.window * w, 0), w - 1);
    const prev = this.prev + this.unsentPrev;
    const curr = this.curr + this.unsent;
    const used = curr + (prev * (w - intoWindow)) / w;
    if (used + 1 <= rule.max) {
      this.unsent++;
      return { allowed: true, remaining: Math.floor(rule.max - used - 1), retryAfterMs: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterMs: retryAfter(rule.max, w, intoWindow, prev, curr) };
  }
}

/**
 * How long until one more hit fits, when `prev` and `curr` hits were allowed in the
 * previous and current windows and `intoWindow` ms of the current one have passed: first
 * as the previous window's weight shrinks, else in the next window as this one's does.
 */
function retryAfter(max: number, w: number, intoWindow: number, prev: number, curr: number): number {
  if (max < 1) return w;
  const left = w - intoWindow;
  if (curr + 1 <= max && prev > 0) {
    // prev * (w - intoWindow - d) / w + curr + 1 <= max
    const d = Math.ceil(left - (w * (max - 1 - curr)) / prev);
    if (d < left) return Math.max(d, 1);
  }
  // In the next window at x ms: curr * (w - x) / w + 1 <= max
  const x = curr + 1 <= max ? 0 : Math.ceil(w * (1 - (max - 1) / curr));
  return left + x;
}

export interface SyncedRateLimiterOptions {
  /** How often the counts of keys hit meanwhile are exchanged with Redis (ms). */
  syncMs: number;
  /** A key whose last sync is older than this waits for one before it is decided (ms); 10 syncs by default. */
  staleMs?: number;
  /** Keys held by this instance at most (least recently hit dropped first). */
  maxKeys?: number;
  /** Keys per script call at most. */
  maxBatch?: number;
  /**
   * Of the room under its limit that a key's last sync showed, the share this instance may
   * allow before the key syncs again (1/8 by default); with 0, every key hit syncs.
   */
  headroomShare?: number;
  /** A key's hits wait at most this long before they are sent, on the hits' clock (ms); staleMs / 2 by default. */
  refreshMs?: number;
}

/**
 * A sliding-window *counter* shared through Redis, decided in process: for an API-wide
 * limit per client, where a Redis call per request (RedisRateLimiter) cost more than the
 * rest of a cached page. Each key is counted in fixed windows, and a hit at `t` is allowed
 * when `curr + prev * (1 - (t - windowStart) / window) + 1 <= max`: the previous window's
 * count weighted by how much of it the sliding window still covers (the approximation
 * Cloudflare describes for its limiter). Redis holds two integers per key instead of a
 * sorted set of up to `max` times.
 *
 * Each instance decides from what it knows: every instance's counts as of its last sync,
 * plus its own hits since. Every `syncMs`, the keys due send their new hits and read back
 * the totals, all in one script call. A key is due when it was denied, when its unsent hits
 * pass its allowance (`headroomShare` of the room under the limit its last sync showed), or
 * when its last sync is `refreshMs` old. So a client near its limit is synced every
 * `syncMs`, and one far below it every `refreshMs`. When every key hit was due, 5,000
 * clients at 2-3 requests a second meant a key sync for nearly every request, and Redis
 * spent two thirds of its time in script calls, mostly those syncs. A key this instance
 * has not synced within `staleMs` (first seen, or idle) waits for a sync before its hits
 * are decided, so a request pays a Redis round trip only then.
 *
 * With one instance every decision is exact for the algorithm. With several, a key can pass
 * up to what the other instances allowed it and have not sent yet before the limit shows
 * everywhere: from each, at most its allowance plus one interval's hits (a DoS guard's
 * trade-off, as in gateways that sync counters periodically). Hits whose sync fails are
 * kept and sent with the next one; hits waiting for it fail with its error.
 *
 * With Redis Cluster all keys of a call would have to share a slot; Webook runs a single
 * Redis (or a primary).
 */
export class SyncedRateLimiter implements RateLimiter {
  private readonly states: LRUCache<string, KeyState>;
  private readonly dirty: KeyState[] = [];
  private readonly staleMs: number;
  private readonly refreshMs: number;
  private readonly headroomShare: number;
  private readonly maxBatch: number;
  /**
   * Synced keys in the order of their syncs, each with the time of its sync: the keys whose
   * unsent hits come due for a refresh are found from the front (entries from `refreshHead`).
   */
  private readonly refreshQueue: (KeyState | undefined)[] = [];
  private readonly refreshStamps: number[] = [];
  private refreshHead = 0;
  private readonly timer: NodeJS.Timeout;
  private scheduled = false;
  /** Syncs under way: close() waits for them. */
  private readonly syncing = new Set<Promise<void>>();
  /** The latest `now` a hit brought: the time syncs are stamped with. */
  private now = -Infinity;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    opts: SyncedRateLimiterOptions,
  ) {
    this.staleMs = opts.staleMs ?? opts.syncMs * 50;
    this.refreshMs = opts.refreshMs ?? this.staleMs / 2;
    this.headroomShare = opts.headroomShare ?? 1 / 8;
    this.maxBatch = opts.maxBatch ?? 256;
    this.states = new LRUCache<string, KeyState>({ max: opts.maxKeys ?? 500_000 });
    this.timer = setInterval(() => void this.sync().catch(() => {}), opts.syncMs);
    this.timer.unref(); // counts a sync would have sent are at most one interval's
  }

  hit(key: string, rule: RateRule, now: number): Promise<RateDecision> {
    if (now > this.now) this.now = now;
    let state = this.states.get(key);
    if (!state || state.windowMs !== rule.windowMs) this.states.set(key, (state = new KeyState(key, rule.windowMs)));
    state.max = rule.max;
    state.roll(now);
    if (state.waiting || now - state.syncedAt > this.staleMs) {
      return new Promise((resolve, reject) => {
        (state.waiting ??= []).push({ rule, now, resolve, reject });
        if (state.inFlight === 0) {
          this.markDirty(state);
          this.syncSoon();
        }
      });
    }
    return Promise.resolve(this.decide(state, rule, now));
  }

  /** Decides a hit, and marks its key due for the next sync if it is. */
  private decide(state: KeyState, rule: RateRule, now: number): RateDecision {
    const decision = state.decide(rule, now);
    if (
      !decision.allowed || // a denied key keeps a fresh view of the others
      state.unsent + state.unsentPrev > state.allowance ||
      now - state.syncedAt >= this.refreshMs
    ) {
      this.markDirty(state);
    }
    return decision;
  }

  /**
   * Sends the hits of every key hit since the last sync, and reads back the totals: one
   * script call per `maxBatch` keys, each built in a turn of the event loop of its own.
   * Built all at once, a busy instance's sync (about 900 keys at 9,000 requests a second)
   * held the loop for several milliseconds ten times a second, and the requests read
   * meanwhile waited behind it. A key stays marked dirty until its call is built, so the
   * hits it takes while it waits go out with it.
   */
  sync(): Promise<void> {
    const run = this.syncDirty();
    this.syncing.add(run);
    const done = () => void this.syncing.delete(run);
    run.then(done, done);
    return run;
  }

  private async syncDirty(): Promise<void> {
    this.markRefreshesDue();
    const states = this.dirty.splice(0);
    const calls: Promise<void>[] = [];
    let failed = false;
    let failure: unknown;
    for (let i = 0; i < states.length; i += this.maxBatch) {
      if (i > 0) await new Promise<void>((resolve) => nextTurn(resolve));
      // Caught at once: a call may fail while the next one waits for its turn.
      const call = this.syncBatch(states.slice(i, i + this.maxBatch)).catch((err: unknown) => {
        if (failed) return;
        failed = true;
        failure = err;
      });
      calls.push(call);
    }
    await Promise.all(calls);
    if (failed) throw failure;
  }

  /** Stops the timer, lets the syncs under way finish, and sends what is still unsent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.syncing]); // their later calls are still to be built
    this.states.forEach((s) => {
      if (s.unsent + s.unsentPrev > 0) this.markDirty(s);
    });
    await this.sync();
  }

  /** Marks due the keys synced `refreshMs` ago that have taken hits since and are not due yet. */
  private markRefreshesDue(): void {
    const queue = this.refreshQueue;
    const stamps = this.refreshStamps;
    let i = this.refreshHead;
    for (; i < queue.length && stamps[i]! + this.refreshMs <= this.now; i++) {
      const s = queue[i]!;
      queue[i] = undefined; // an evicted key's state may go
      // A later sync of the key has an entry of its own further on.
      if (s.syncedAt === stamps[i] && s.unsent + s.unsentPrev > 0) this.markDirty(s);
    }
    if (i > 1024 && i * 2 > queue.length) {
      queue.splice(0, i);
      stamps.splice(0, i);
      i = 0;
    }
    this.refreshHead = i;
  }

  private markDirty(state: KeyState): void {
    if (state.dirty) return;
    state.dirty = true;
    this.dirty.push(state);
  }

  private syncSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.sync().catch(() => {}); // the waiting hits get the error
    });
  }

  private async syncBatch(states: KeyState[]): Promise<void> {
    const at = this.now;
    const n = states.length;
    const sent = states.map((s) => ({ window: s.window, curr: s.unsent, prev: s.unsentPrev }));
    // [numkeys, curr1, prev1, curr2, prev2, ..., ttl, add1, addPrev1, ...]
    const args = new Array<string | number>(2 + 4 * n);
    args[0] = 2 * n;
    args[2 * n + 1] = 2 * Math.max(...states.map((s) => s.windowMs)) + 1000;
    for (let i = 0; i < n; i++) {
      const s = states[i]!;
      s.dirty = false;
      s.inFlight++;
      s.unsent = 0;
      s.unsentPrev = 0;
      args[1 + 2 * i] = s.redisKey + s.window;
      args[2 + 2 * i] = s.redisKey + (s.window - 1);
      args[2 * n + 2 + 2 * i] = sent[i]!.curr;
      args[2 * n + 3 + 2 * i] = sent[i]!.prev;
    }
    let totals: unknown[];
    try {
      totals = await syncWindows(this.redis, args);
    } catch (err) {
      for (let i = 0; i < n; i++) this.failed(states[i]!, sent[i]!, err);
      throw err;
    }
    for (let i = 0; i < n; i++) {
      const s = states[i]!;
      s.inFlight--;
      const window = sent[i]!.window;
      if (s.window === window) {
        s.curr = Number(totals[2 * i]);
        s.prev = Number(totals[2 * i + 1]);
      } else if (s.window === window + 1) {
        s.prev = Number(totals[2 * i]); // the window rolled while the answer was out
      }
      s.syncedAt = at;
      // Counted as if the whole previous window still weighed: the allowance errs low.
      s.allowance = Math.floor(Math.max(0, s.max - s.curr - s.prev) * this.headroomShare);
      this.refreshQueue.push(s);
      this.refreshStamps.push(at);
      this.release(s);
    }
  }

  /** The sent hits go back to unsent (the next sync carries them), and the waiting hits fail. */
  private failed(s: KeyState, sent: { window: number; curr: number; prev: number }, err: unknown): void {
    s.inFlight--;
    if (s.window === sent.window) {
      s.unsent += sent.curr;
      s.unsentPrev += sent.prev;
    } else if (s.window === sent.window + 1) s.unsentPrev += sent.curr;
    if (s.unsent + s.unsentPrev > 0) this.markDirty(s);
    if (s.inFlight > 0) return; // a later sync may still answer them
    const waiting = s.waiting;
    s.waiting = undefined;
    for (const w of waiting ?? []) w.reject(err);
  }

  /** Decides the hits that waited for this key's sync, in arrival order. */
  private release(s: KeyState): void {
    const waiting = s.waiting;
    if (!waiting) return;
    s.waiting = undefined;
    for (const w of waiting) {
      s.roll(w.now);
      w.resolve(this.decide(s, w.rule, w.now));
    }
  }
}
