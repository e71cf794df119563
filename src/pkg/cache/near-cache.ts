import { LRUCache } from 'lru-cache';
import { decodedOf, type Cache, type Decoder, type DecodedSlot, type HeldReads } from './cache.js';

/**
 * Tells every API instance that a key changed. `live` is false while the instance might
 * be missing messages (its subscription is down): then nothing may be served locally.
 */
export interface InvalidationBus {
  readonly live: boolean;
  publish(key: string): Promise<void>;
  /** `key` changed elsewhere; `null` means "anything may have changed" (a reconnect). */
  subscribe(listener: (key: string | null) => void): void;
}

export interface NearCacheOptions {
  /** Only keys with one of these prefixes are kept locally; others go straight through. */
  prefixes: string[];
  /** Upper bound on staleness should an invalidation be lost in flight. */
  localTtlMs: number;
  /** Longer (or shorter) bounds than localTtlMs for some of `prefixes`, by prefix. */
  localTtlMsOf?: Record<string, number>;
  /**
   * Hashes of statistics (counters) under these prefixes are kept locally too, each for at
   * most `localTtlMs`. Writes of a whole hash or of one field (hsetAll, hincrByIfExists, del)
   * drop every instance's copy, as string writes do; batched increments (hincrManyIfExists:
   * reads being counted) drop none, so every instance, this one included, shows them once
   * its copy expires. For hashes read on every request and bumped by every batch of reads,
   * where dropping copies on each batch would leave none alive.
   *
   * A copy read in the second half of its life is refreshed ahead: it is still served, and
   * the copies so marked within REFRESH_GATHER_MS are read again together, one pipelined call
   * per REFRESH_CHUNK keys, off every request's path. A busy counter is then never missed
   * locally (each miss was a round trip of its own, on about half the pages under load), and
   * no copy is older than `localTtlMs`.
   */
  statHashes?: { prefixes: string[]; localTtlMs: number };
  maxEntries?: number;
  /**
   * Bound on the local copies' size, in UTF-16 code units of key + value (default 32 Mi,
   * ~64 MiB). Decoded forms kept beside them (getDecoded) are not counted.
   */
  maxChars?: number;
}

/** How long copies due for a refresh are gathered before one call reads them all again. */
const REFRESH_GATHER_MS = 20;
/** Keys per refreshing call: a longer pipeline would hold back the requests' commands queued behind it. */
const REFRESH_CHUNK = 200;

/** A local copy of a statistics hash, frozen: every reader gets the same object. */
interface StatCopy {
  readonly hash: Readonly<Record<string, string>>;
  /** When a read should ask for a fresh copy (performance.now()); Infinity once asked. */
  refreshAt: number;
}

/**
 * A two-level cache: a small in-process LRU in front of the shared cache (Redis), for
 * read-mostly keys on the hot path (sessions, users). Every write goes to the shared
 * cache first, then drops the local copies on every instance through the bus, so a
 * logout is seen everywhere within one message. A read that raced an invalidation is
 * not kept locally, and while the bus is down the local level is bypassed entirely.
 *
 * Hashes are kept locally only under `statHashes` prefixes (see there); other hash
 * operations go straight to the shared cache. A hash key may not sit under a string
 * prefix (they throw if it does), so no string copy can ever shadow a hash write.
 */
export class NearCache implements Cache {
  /** Each copy with its decoded form, once a reader asked for one (getDecoded). */
  private readonly local: LRUCache<string, DecodedSlot>;
  /** Bumped by every invalidation. */
  private epoch = 0;
  /**
   * The epoch at which each recently invalidated key was last invalidated: a fill is
   * discarded only if its own key was invalidated while it was out. (One global counter
   * made every fill void whenever any key changed, and on a cold cache every fill is itself
   * a change: nothing was ever kept locally.) Bounded; see forgottenUpTo.
   */
  private readonly invalidatedAt: LRUCache<string, number>;
  /** Fills that started before this epoch are not trusted: a clear-all, or an entry evicted from invalidatedAt. */
  private forgottenUpTo = 0;
  /**
   * Reads of the shared cache in flight, by key: concurrent misses of one key share one
   * round trip (a popular key expiring locally would otherwise send every request in that
   * moment to Redis at once). Dropped on invalidation, so later readers fetch afresh.
   */
  private readonly inflight = new Map<string, Promise<string | null>>();
  private readonly localHashes: LRUCache<string, StatCopy>;
  private readonly inflightHashes = new Map<string, Promise<Record<string, string> | null>>();
  /** Statistics keys whose copies are due for a refresh, read again together (see NearCacheOptions.statHashes). */
  private readonly dueForRefresh = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The near prefixes with their local lifetimes, longest prefix first. */
  private readonly ttlOfPrefix: [string, number][];

  constructor(
    private readonly shared: Cache,
    private readonly bus: InvalidationBus,
    private readonly opts: NearCacheOptions,
  ) {
    // Bounded by size as well as count: published articles are kept here too, up to 100k characters each.
    this.local = new LRUCache<string, DecodedSlot>({
      max: opts.maxEntries ?? 50_000,
      maxSize: opts.maxChars ?? 32 * 1024 * 1024,
      sizeCalculation: (copy, key) => copy.value.length + key.length,
      ttl: opts.localTtlMs,
    });
    this.localHashes = new LRUCache<string, StatCopy>({ max: opts.maxEntries ?? 50_000, ttl: opts.statHashes?.localTtlMs ?? 1 });
    this.ttlOfPrefix = opts.prefixes.map((p): [string, number] => [p, opts.localTtlMsOf?.[p] ?? opts.localTtlMs]).sort((a, b) => b[0].length - a[0].length);
    this.invalidatedAt = new LRUCache<string, number>({
      max: 10_000,
      dispose: (epoch, _key, reason) => {
        if (reason === 'evict') this.forgottenUpTo = Math.max(this.forgottenUpTo, epoch);
      },
    });
    bus.subscribe((key) => this.invalidate(key));
  }

  private invalidate(key: string | null): void {
    this.epoch++;
    if (key === null) {
      this.forgottenUpTo = this.epoch;
      this.local.clear();
      this.inflight.clear();
      this.localHashes.clear();
      this.inflightHashes.clear();
      this.dueForRefresh.clear();
    } else {
      this.invalidatedAt.set(key, this.epoch);
      this.local.delete(key);
      this.inflight.delete(key);
      this.localHashes.delete(key);
      this.inflightHashes.delete(key);
    }
  }

  /** Whether key may have changed since a fill that started at epoch `since`. */
  private changedSince(key: string, since: number): boolean {
    return this.forgottenUpTo > since || (this.invalidatedAt.get(key) ?? 0) > since;
  }

  private near(key: string): boolean {
    return this.bus.live && this.opts.prefixes.some((p) => key.startsWith(p));
  }

  /** How long a copy of this near key is kept. */
  private localTtlOf(key: string): number {
    for (const [prefix, ttl] of this.ttlOfPrefix) if (key.startsWith(prefix)) return ttl;
    return this.opts.localTtlMs;
  }

  private statHash(key: string): boolean {
    return this.opts.statHashes?.prefixes.some((p) => key.startsWith(p)) ?? false;
  }

  /** The local copies; a key without one is for the shared level to answer (whose own held reads are asked). */
  readonly held: HeldReads = {
    get: (key) => (this.near(key) ? this.local.get(key)?.value : this.shared.held.get(key)),
    getDecoded: <T>(key: string, decode: Decoder<T>): T | null | undefined => {
      if (!this.near(key)) return this.shared.held.getDecoded(key, decode);
      const hit = this.local.get(key);
      return hit === undefined ? undefined : decodedOf(hit, decode);
    },
    hgetAll: (key) => {
      this.notNear(key);
      if (!this.bus.live || !this.statHash(key)) return this.shared.held.hgetAll(key);
      return this.localHash(key);
    },
  };

  async get(key: string): Promise<string | null> {
    if (!this.near(key)) return this.shared.get(key);
    const hit = this.local.get(key);
    if (hit !== undefined) return hit.value;
    // A shared key that expires sooner may outlive itself here by at most localTtlMs:
    // expiry is freshness, not truth (a revocation is a write, and writes invalidate).
    return this.readShared(this.inflight, key, () => this.shared.get(key), (value) => {
      this.local.set(key, { value, decoder: undefined, decoded: undefined }, { ttl: jittered(this.localTtlOf(key)) });
      return value;
    });
  }

  async getDecoded<T>(key: string, decode: Decoder<T>): Promise<T | null> {
    if (!this.near(key)) return this.shared.getDecoded(key, decode);
    const hit = this.local.get(key);
    if (hit !== undefined) return decodedOf(hit, decode);
    const value = await this.get(key);
    if (value === null) return null;
    // Kept locally by that read unless an invalidation raced it: then decoded for this caller only.
    const copy = this.local.peek(key);
    return copy?.value === value ? decodedOf(copy, decode) : decode(value);
  }

  mget(keys: string[]): Promise<(string | null)[]> {
    return this.shared.mget(keys);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await this.shared.set(key, value, ttlMs);
    await this.changed(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const created = await this.shared.setIfAbsent(key, value, ttlMs);
    if (created) await this.changed(key);
    return created;
  }

  async del(...keys: string[]): Promise<number> {
    const n = await this.shared.del(...keys);
    for (const key of keys) await this.changed(key);
    return n;
  }

  async incrBy(key: string, by: number, ttlMs?: number): Promise<number> {
    const value = await this.shared.incrBy(key, by, ttlMs);
    await this.changed(key);
    return value;
  }

  ttl(key: string): Promise<number> {
    return this.shared.ttl(key);
  }

  /** Under a statHashes prefix the answer may be a local copy, frozen: no caller may modify it. */
  async hgetAll(key: string): Promise<Record<string, string> | null> {
    this.notNear(key);
    if (!this.bus.live || !this.statHash(key)) return this.shared.hgetAll(key);
    return this.localHash(key) ?? this.readShared(this.inflightHashes, key, () => this.shared.hgetAll(key), (hash) => this.keepHash(key, hash));
  }

  /** The local copy of a statistics hash, marked for a refresh ahead in the second half of its life. */
  private localHash(key: string): Record<string, string> | undefined {
    const hit = this.localHashes.get(key);
    if (hit === undefined) return undefined;
    if (hit.refreshAt <= performance.now()) this.refreshAhead(key, hit);
    return hit.hash as Record<string, string>;
  }

  private keepHash(key: string, hash: Record<string, string>): Record<string, string> {
    const ttl = jittered(this.opts.statHashes!.localTtlMs);
    const copy = { hash: Object.freeze(hash), refreshAt: performance.now() + ttl / 2 };
    this.localHashes.set(key, copy, { ttl });
    return copy.hash as Record<string, string>;
  }

  private refreshAhead(key: string, copy: StatCopy): void {
    copy.refreshAt = Infinity;
    this.dueForRefresh.add(key);
    this.refreshTimer ??= setTimeout(() => void this.refreshDue(), REFRESH_GATHER_MS).unref();
  }

  /**
   * Reads the copies due for a refresh again. A copy whose key was invalidated while its
   * read was out is not replaced; one whose key is gone from the shared level goes. A failed
   * read leaves its copies to expire: the next page reads through and meets the failure itself.
   */
  private async refreshDue(): Promise<void> {
    this.refreshTimer = undefined;
    const keys = [...this.dueForRefresh];
    this.dueForRefresh.clear();
    for (let i = 0; i < keys.length; i += REFRESH_CHUNK) {
      const chunk = keys.slice(i, i + REFRESH_CHUNK);
      const since = this.epoch;
      const hashes = await this.shared.hmgetAll(chunk).catch(() => null);
      if (hashes === null || !this.bus.live) continue;
      chunk.forEach((key, j) => {
        if (this.changedSince(key, since)) return;
        const hash = hashes[j];
        if (hash) this.keepHash(key, hash);
        else this.localHashes.delete(key);
      });
    }
  }

  async hmgetAll(keys: string[]): Promise<(Record<string, string> | null)[]> {
    for (const key of keys) this.notNear(key);
    return this.shared.hmgetAll(keys);
  }

  async hsetAll(key: string, fields: Record<string, string | number>, ttlMs?: number): Promise<void> {
    this.notNear(key);
    await this.shared.hsetAll(key, fields, ttlMs);
    await this.changed(key);
  }

  async hincrByIfExists(key: string, field: string, by: number): Promise<boolean> {
    this.notNear(key);
    const incremented = await this.shared.hincrByIfExists(key, field, by);
    await this.changed(key);
    return incremented;
  }

  /** Local copies of statistics hashes are left as they are (see NearCacheOptions.statHashes). */
  async hincrManyIfExists(changes: { key: string; field: string; by: number }[]): Promise<number> {
    for (const { key } of changes) this.notNear(key);
    return this.shared.hincrManyIfExists(changes);
  }

  ping(): Promise<void> {
    return this.shared.ping();
  }

  async close(): Promise<void> {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.dueForRefresh.clear();
    this.local.clear();
    this.localHashes.clear();
  }

  /**
   * One read of the shared cache per key at a time (see `inflight`). `keep` stores a found
   * value locally, unless the key was invalidated while the read was out or the bus went
   * down meanwhile.
   */
  private readShared<T>(inflight: Map<string, Promise<T | null>>, key: string, read: () => Promise<T | null>, keep: (value: T) => T): Promise<T | null> {
    let pending = inflight.get(key);
    if (!pending) {
      const since = this.epoch;
      pending = read().then((value) => (value !== null && !this.changedSince(key, since) && this.bus.live ? keep(value) : value));
      const settled = () => {
        if (inflight.get(key) === pending) inflight.delete(key);
      };
      pending.then(settled, settled);
      inflight.set(key, pending);
    }
    return pending;
  }

  private notNear(key: string): void {
    const prefix = this.opts.prefixes.find((p) => key.startsWith(p));
    if (prefix !== undefined) throw new Error(`hash key ${key} is under the near-cached prefix ${prefix}`);
  }

  private async changed(key: string): Promise<void> {
    if (!this.opts.prefixes.some((p) => key.startsWith(p)) && !this.statHash(key)) return;
    this.invalidate(key);
    await this.bus.publish(key);
  }
}

/** Local lifetimes spread by ±20%, so that keys filled together do not expire together. */
const jittered = (ms: number) => Math.round(ms * (0.8 + 0.4 * Math.random()));
