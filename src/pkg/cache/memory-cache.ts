import { setImmediate as nextTurn } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { WRONGTYPE, decodedOf, setField, type Cache, type Decoder, type DecodedSlot, type HeldReads } from './cache.js';

interface Entry {
  /** A string, or a hash (field -> value; never empty). */
  value: string | Map<string, string>;
  expiresAt: number; // epoch ms, Infinity for no TTL
  /** A string's decoded form (getDecoded). Every write of a string makes a new entry, so it never outlives its text. */
  decoder?: DecodedSlot['decoder'];
  decoded?: unknown;
}

/**
 * hincrManyIfExists lets the event loop run after this many changes, so a request that
 * arrives meanwhile is not held behind a whole batch (the read counter's parts bring about
 * 2,000, a millisecond of work), as RedisCache leaves the loop free between its script calls.
 */
const INCREMENTS_PER_TURN = 250;

/** Every field set from the start: entries of one shape keep the lookups' property accesses monomorphic. */
const stringEntry = (value: string, expiresAt: number): Entry => ({ value, expiresAt, decoder: undefined, decoded: undefined });

const isHash = (value: Entry['value']): value is Map<string, string> => typeof value !== 'string';

/**
 * A hash's fields as a fresh object. A plain loop: Object.fromEntries took several times as
 * long, and hgetAll is on the article page's path (its counters).
 */
function fieldsOf(hash: Map<string, string>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of hash) setField(fields, name, value);
  return fields;
}

/**
 * In-process cache for the embedded mode: an LRU bounded by entry count with per-key
 * expiry. Strings and hashes share the keys, the expiry and the bound (a hash is one
 * entry), and clash as they do in Redis. Single-threaded JavaScript makes each method
 * atomic, matching what Redis gives the same calls.
 */
export class MemoryCache implements Cache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly now: () => number;

  constructor(opts: { maxEntries?: number; now?: () => number } = {}) {
    this.entries = new LRUCache<string, Entry>({ max: opts.maxEntries ?? 200_000 });
    this.now = opts.now ?? Date.now;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private liveString(key: string): string | undefined {
    const value = this.live(key)?.value;
    if (value !== undefined && isHash(value)) throw new Error(WRONGTYPE);
    return value;
  }

  private liveHash(key: string): Entry | undefined {
    const entry = this.live(key);
    if (entry && !isHash(entry.value)) throw new Error(WRONGTYPE);
    return entry;
  }

  private expiry(ttlMs: number | undefined): number {
    return ttlMs === undefined ? Infinity : this.now() + ttlMs;
  }

  /** Everything is held here: every answer is final (never undefined). */
  readonly held = {
    get: (key: string): string | null => this.liveString(key) ?? null,
    getDecoded: <T>(key: string, decode: Decoder<T>): T | null => {
      const entry = this.live(key);
      if (!entry) return null;
      if (isHash(entry.value)) throw new Error(WRONGTYPE);
      return decodedOf(entry as DecodedSlot, decode);
    },
    hgetAll: (key: string): Record<string, string> | null => {
      const entry = this.liveHash(key);
      return entry ? fieldsOf(entry.value as Map<string, string>) : null;
    },
  } satisfies HeldReads;

  async get(key: string): Promise<string | null> {
    return this.held.get(key);
  }

  async getDecoded<T>(key: string, decode: Decoder<T>): Promise<T | null> {
    return this.held.getDecoded(key, decode);
  }

  async mget(keys: string[]): Promise<(string | null)[]> {
    // Like MGET: a key holding a hash reads as null rather than failing the batch.
    return keys.map((k) => {
      const value = this.live(k)?.value;
      return value === undefined || isHash(value) ? null : value;
    });
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, stringEntry(value, this.expiry(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, stringEntry(value, this.expiry(ttlMs)));
    return true;
  }

  async del(...keys: string[]): Promise<number> {
    let n = 0;
    for (const k of keys) if (this.live(k) && this.entries.delete(k)) n++;
    return n;
  }

  async incrBy(key: string, by: number, ttlMs?: number): Promise<number> {
    const entry = this.live(key);
    if (entry && isHash(entry.value)) throw new Error(WRONGTYPE);
    const current = entry ? Number(entry.value) : 0;
    if (!Number.isInteger(current)) throw new Error(`value at ${key} is not an integer`);
    const next = current + by;
    this.entries.set(key, stringEntry(String(next), entry ? entry.expiresAt : this.expiry(ttlMs)));
    return next;
  }

  async ttl(key: string): Promise<number> {
    const entry = this.live(key);
    if (!entry) return -2;
    return entry.expiresAt === Infinity ? -1 : entry.expiresAt - this.now();
  }

  async hgetAll(key: string): Promise<Record<string, string> | null> {
    return this.held.hgetAll(key);
  }

  async hmgetAll(keys: string[]): Promise<(Record<string, string> | null)[]> {
    const entries = keys.map((k) => this.liveHash(k)); // all checked before any answer, as one batch
    return entries.map((entry) => (entry ? fieldsOf(entry.value as Map<string, string>) : null));
  }

  async hsetAll(key: string, fields: Record<string, string | number>, ttlMs?: number): Promise<void> {
    const names = Object.keys(fields);
    if (names.length === 0) return;
    const entry = this.liveHash(key);
    const hash = entry ? (entry.value as Map<string, string>) : new Map<string, string>();
    for (const name of names) hash.set(name, String(fields[name]));
    const expiresAt = ttlMs !== undefined && ttlMs > 0 ? this.now() + ttlMs : (entry?.expiresAt ?? Infinity);
    if (entry) entry.expiresAt = expiresAt;
    else this.entries.set(key, { value: hash, expiresAt, decoder: undefined, decoded: undefined });
  }

  async hincrByIfExists(key: string, field: string, by: number): Promise<boolean> {
    if (!Number.isSafeInteger(by)) throw new Error(`increment ${by} is not an integer`);
    return this.incrementIfExists(key, field, by);
  }

  async hincrManyIfExists(changes: { key: string; field: string; by: number }[]): Promise<number> {
    // All checked first, as RedisCache does: a bad increment changes nothing.
    for (const c of changes) if (!Number.isSafeInteger(c.by)) throw new Error(`increment ${c.by} is not an integer`);
    // A promise per change cost more than the change (a batch of reads brings hundreds);
    // a turn of the loop every INCREMENTS_PER_TURN lets requests and timers in (a microtask
    // would only let in what is already resolved, not what waits on a socket).
    let applied = 0;
    for (let i = 0; i < changes.length; i++) {
      if (i > 0 && i % INCREMENTS_PER_TURN === 0) await nextTurn();
      const { key, field, by } = changes[i]!;
      if (this.incrementIfExists(key, field, by)) applied++;
    }
    return applied;
  }

  private incrementIfExists(key: string, field: string, by: number): boolean {
    const entry = this.liveHash(key);
    if (!entry) return false;
    const hash = entry.value as Map<string, string>;
    const raw = hash.get(field);
    const current = raw === undefined ? 0 : Number(raw);
    if (raw !== undefined && (raw.trim() !== raw || raw === '' || !Number.isSafeInteger(current))) {
      throw new Error(`hash value at ${key} ${field} is not an integer`);
    }
    hash.set(field, String(current + by));
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}
