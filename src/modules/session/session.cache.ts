import type { Cache } from '../../pkg/cache/cache.js';

export type SessionState = 'active' | 'revoked';

/**
 * The hot-path answer to "is this session still alive?", shared by every API
 * instance. A revocation is written here at once, so logout takes effect everywhere
 * within one cache round trip. Entries expire so a cache never outlives the database.
 */
export class SessionCache {
  constructor(private readonly cache: Cache) {}

  private key(ssid: string): string {
    return `session:${ssid}`;
  }

  async get(ssid: string): Promise<SessionState | null> {
    const v = await this.cache.get(this.key(ssid));
    return v === 'active' || v === 'revoked' ? v : null;
  }

  /** get from what this process holds; undefined when only the async read can tell. */
  held(ssid: string): SessionState | undefined {
    const v = this.cache.held.get(this.key(ssid));
    return v === 'active' || v === 'revoked' ? v : undefined;
  }

  async set(ssid: string, state: SessionState, ttlMs: number): Promise<void> {
    if (ttlMs > 0) await this.cache.set(this.key(ssid), state, ttlMs);
  }

  /** Writes a state read from the database unless someone wrote a newer one first. */
  async fill(ssid: string, state: SessionState, ttlMs: number): Promise<void> {
    if (ttlMs > 0) await this.cache.setIfAbsent(this.key(ssid), state, ttlMs);
  }
}
