/**
 * The distributed lock port. Two adapters hold to it (in-process for the embedded
 * default, Redis in production) and one contract suite proves they behave alike.
 *
 * A lease is proof of holding a lock until `ttlMs` after the last acquire or extend. Only
 * the holder of the token may extend or release it; once it expired anyone may take it.
 * `fence` grows with every successful acquire of the same name, so a store can refuse a
 * write from a holder that lost the lock to a newer one (see fenced-store.ts).
 */
export interface LockLease {
  readonly name: string;
  /** Random, unguessable: proves ownership on extend and release. */
  readonly token: string;
  /** Monotonic per lock name: a later holder always has a larger fence. */
  readonly fence: number;
}

export interface DistributedLock {
  /** The lease, or null when someone else holds an unexpired lease. */
  tryAcquire(name: string, ttlMs: number): Promise<LockLease | null>;
  /** Pushes the expiry to now + ttlMs; false when the lease is no longer ours (expired and taken, or released). */
  extend(lease: LockLease, ttlMs: number): Promise<boolean>;
  /** Frees the lock only when the lease is still ours; false otherwise (nothing changes). */
  release(lease: LockLease): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Writes guarded by a fence: a value written with a smaller fence than the last accepted
 * one is refused, atomically. The value is then readable with the cache port's `get(key)`.
 */
export interface FencedWriter {
  /** True when written; false when a newer fence already wrote this key. */
  write(key: string, fence: number, value: string, ttlMs: number): Promise<boolean>;
}

export const fenceKeyOf = (key: string) => `${key}:fence`;
