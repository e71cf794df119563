import { randomBytes } from 'node:crypto';
import type { Cache } from '../cache/cache.js';
import { systemClock, type Clock } from '../clock/clock.js';
import { fenceKeyOf, type DistributedLock, type FencedWriter, type LockLease } from './lock.js';

/**
 * The embedded adapter: exclusion between the callers of one process, which is all an
 * embedded (single-process) deployment has. Every method decides synchronously, before
 * its first await, so two concurrent calls can never both see the lock free.
 */
export class MemoryLock implements DistributedLock {
  private readonly held = new Map<string, { token: string; expiresAt: number }>();
  private readonly fences = new Map<string, number>();

  constructor(private readonly clock: Clock = systemClock) {}

  async tryAcquire(name: string, ttlMs: number): Promise<LockLease | null> {
    const now = this.clock.now();
    const current = this.held.get(name);
    if (current && current.expiresAt > now) return null;
    const token = randomBytes(16).toString('hex');
    const fence = (this.fences.get(name) ?? 0) + 1;
    this.fences.set(name, fence);
    this.held.set(name, { token, expiresAt: now + ttlMs });
    return { name, token, fence };
  }

  async extend(lease: LockLease, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const current = this.held.get(lease.name);
    if (!current || current.token !== lease.token || current.expiresAt <= now) return false;
    current.expiresAt = now + ttlMs;
    return true;
  }

  async release(lease: LockLease): Promise<boolean> {
    const current = this.held.get(lease.name);
    if (!current || current.token !== lease.token) return false;
    this.held.delete(lease.name);
    return current.expiresAt > this.clock.now();
  }

  async close(): Promise<void> {}
}

/**
 * Fenced writes over the cache port, for the embedded stack. The compare and the write
 * are chained per key so that no other write to the key runs in between.
 */
export class MemoryFencedWriter implements FencedWriter {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly cache: Cache) {}

  write(key: string, fence: number, value: string, ttlMs: number): Promise<boolean> {
    const run = async () => {
      const last = Number((await this.cache.get(fenceKeyOf(key))) ?? 0);
      if (fence < last) return false;
      await this.cache.set(key, value, ttlMs);
      await this.cache.set(fenceKeyOf(key), String(fence), ttlMs);
      return true;
    };
    const next = (this.chains.get(key) ?? Promise.resolve()).then(run, run);
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    }).catch(() => {});
    return next;
  }
}
