import type { Redis } from 'ioredis';
import type { Cache } from '../cache/cache.js';
import type { Clock } from '../clock/clock.js';
import type { DistributedLock, FencedWriter, LockLease } from './lock.js';
import { MemoryFencedWriter, MemoryLock } from './memory-lock.js';
import { RedisFencedWriter, RedisLock } from './redis-lock.js';

/** The lock and the fenced writes that go with it, from one backend. */
export interface Coordination {
  lock: DistributedLock;
  fenced: FencedWriter;
}

/** Redis when there is one (several instances), in-process otherwise (embedded). */
export function openCoordination(redis: Redis | undefined, cache: Cache, clock: Clock): Coordination {
  return redis
    ? { lock: new RedisLock(redis), fenced: new RedisFencedWriter(redis) }
    : { lock: new MemoryLock(clock), fenced: new MemoryFencedWriter(cache) };
}

export interface HoldOptions {
  ttlMs: number;
  /** How often the lease is extended while held; well under ttlMs (a third is the default). */
  renewEveryMs?: number;
}

/** What the work under a lock sees: its lease (for the fence) and a signal raised when the lease is lost. */
export interface HeldLock {
  lease: LockLease;
  signal: AbortSignal;
}

/**
 * Runs work while holding the named lock, extending the lease in the background, and
 * releases it at the end (only if still ours). `{ acquired: false }` when another holder
 * has it. If an extension fails the signal aborts: the work should stop, and any write it
 * still makes must go through the fence.
 */
export async function withLock<T>(
  lock: DistributedLock,
  name: string,
  opts: HoldOptions,
  work: (held: HeldLock) => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const lease = await lock.tryAcquire(name, opts.ttlMs);
  if (!lease) return { acquired: false };
  const lost = new AbortController();
  const renew = async () => {
    const ok = await lock.extend(lease, opts.ttlMs).catch(() => false);
    if (!ok && !lost.signal.aborted) lost.abort(new Error(`lock ${name} lost`));
  };
  const timer = setInterval(() => void renew(), opts.renewEveryMs ?? Math.max(1, Math.floor(opts.ttlMs / 3)));
  timer.unref();
  try {
    return { acquired: true, value: await work({ lease, signal: lost.signal }) };
  } finally {
    clearInterval(timer);
    // A failed release only means the lease already expired: nothing of ours to free.
    await lock.release(lease).catch(() => false);
  }
}
