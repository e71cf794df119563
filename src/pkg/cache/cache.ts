/**
 * The cache port. Two adapters hold to it (memory for the embedded default, Redis in
 * production) and one contract suite proves they behave alike. Values are strings;
 * callers own their encoding. TTLs are milliseconds; a key without TTL lives until
 * deleted (the memory adapter may still evict under its size bound, as Redis may under
 * maxmemory).
 */
export interface Cache {
  get(key: string): Promise<string | null>;
  mget(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** SET NX: true when this call created the key. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  /** Atomic add; creates the key at 0 first. ttlMs is applied only when the key is new. */
  incrBy(key: string, by: number, ttlMs?: number): Promise<number>;
  /** Remaining life in ms: -1 for no TTL, -2 for a missing key. */
  ttl(key: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
