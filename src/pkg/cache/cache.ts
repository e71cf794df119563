/**
 * The cache port. Two adapters hold to it (memory for the embedded default, Redis in
 * production) and one contract suite proves they behave alike. Values are strings;
 * callers own their encoding. TTLs are milliseconds; a key without TTL lives until
 * deleted (the memory adapter may still evict under its size bound, as Redis may under
 * maxmemory).
 *
 * A key holds either a string or a hash (field -> string), as in Redis. Using a key with
 * an operation of the other kind fails with an error whose message starts with
 * `WRONGTYPE` (get, incrBy, hgetAll, hmgetAll, hsetAll, hincrByIfExists, hincrManyIfExists), except that
 * mget answers null for a hash, set overwrites whatever the key held, and del, ttl and
 * setIfAbsent work on either kind — Redis's own rules.
 */
export interface Cache {
  get(key: string): Promise<string | null>;
  /**
   * `get`, passed through `decode` (null when the key is missing). The caches that hold
   * values in this process (the memory cache, the near cache's local copies) keep the
   * decoded form with the value, so a hit decodes nothing and costs one lookup; until the
   * value changes every caller gets the same object, which none may modify. `decode` must
   * depend on the text alone; a different function decodes afresh.
   */
  getDecoded<T>(key: string, decode: Decoder<T>): Promise<T | null>;
  mget(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** SET NX: true when this call created the key. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  /** Atomic add; creates the key at 0 first. ttlMs is applied only when the key is new. */
  incrBy(key: string, by: number, ttlMs?: number): Promise<number>;
  /** Remaining life in ms: -1 for no TTL, -2 for a missing key. */
  ttl(key: string): Promise<number>;

  /** Every field of a hash; null when the key does not exist (a hash is never empty). */
  hgetAll(key: string): Promise<Record<string, string> | null>;
  /** hgetAll of many keys in one round trip, answers in the order asked. */
  hmgetAll(keys: string[]): Promise<(Record<string, string> | null)[]>;
  /**
   * Sets the given fields, merging into the hash if it exists (other fields stay), then,
   * when ttlMs (> 0) is given, sets the key's TTL, both at once. Without ttlMs an
   * existing TTL is kept. No fields: nothing happens (Redis has no empty hash).
   */
  hsetAll(key: string, fields: Record<string, string | number>, ttlMs?: number): Promise<void>;
  /**
   * Adds `by` (an integer) to a field only if the hash exists (a missing field counts
   * from 0); never creates the key, never touches its TTL. True when it incremented.
   * For counters cached beside their rows: a miss leaves the next read to fill the hash.
   */
  hincrByIfExists(key: string, field: string, by: number): Promise<boolean>;
  /** hincrByIfExists of many keys in one round trip (one script on Redis); answers how many it applied. */
  hincrManyIfExists(changes: { key: string; field: string; by: number }[]): Promise<number>;

  ping(): Promise<void>;
  close(): Promise<void>;

  /** Reads answered from this process alone, for the hottest routes (see HeldReads). */
  readonly held: HeldReads;
}

/**
 * Synchronous reads of what a cache holds in this process: the memory cache all of it,
 * the near cache its local copies, Redis nothing. Each answers what its async twin
 * would answer now, or `undefined` when only that async read can tell (a round trip to
 * the shared level). A page whose every part is held is built without a promise: on the
 * article page the chain of async reads, each awaiting the next, cost some 5-10% of the
 * main thread's CPU per page and half of what the page allocated (docs/benchmarks.md).
 */
export interface HeldReads {
  get(key: string): string | null | undefined;
  getDecoded<T>(key: string, decode: Decoder<T>): T | null | undefined;
  /** As hgetAll, the near cache's copy frozen. */
  hgetAll(key: string): Record<string, string> | null | undefined;
}

/** The held reads of a cache that keeps nothing in process. */
export const NOTHING_HELD: HeldReads = Object.freeze({ get: () => undefined, getDecoded: () => undefined, hgetAll: () => undefined });

/** Turns a cached text into what its reader works with (see Cache.getDecoded). */
export type Decoder<T> = (raw: string) => T;

/** A value with its decoded form beside it: held by the caches that keep values in this process. */
export interface DecodedSlot {
  value: string;
  decoder?: Decoder<unknown>;
  decoded?: unknown;
}

/** The slot's decoded form by `decode`, decoding only the first time (or when a different decoder asks). */
export function decodedOf<T>(slot: DecodedSlot, decode: Decoder<T>): T {
  if (slot.decoder !== decode) {
    slot.decoded = decode(slot.value);
    slot.decoder = decode;
  }
  return slot.decoded as T;
}

/** The message Redis answers a command applied to a key of the other kind. */
export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/**
 * Sets a hash's field on the plain object handed to callers. A field named __proto__ is a
 * field like any other: assigned, it would set the object's prototype instead.
 */
export function setField(fields: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  else fields[name] = value;
}
