import { LRUCache } from 'lru-cache';
import type { Cache } from '../../pkg/cache/cache.js';
import type { User } from './user.domain.js';

/** Users by id, as the original's UserCache: read-through, deleted after every write. */
export class UserCache {
  /**
   * Parsed users by their cached JSON text. Every profile and every article page reads a
   * user, the cache hands back the same text on each hit, and parsing it per request showed
   * in profiles (~2.5%). Keyed by the text itself, a changed user is a new key: nothing to
   * invalidate. Frozen, since one object now serves many requests.
   */
  private readonly parsed = new LRUCache<string, User>({ max: 10_000 });

  constructor(
    private readonly cache: Cache,
    private readonly ttlMs = 15 * 60 * 1000,
  ) {}

  private key(id: number): string {
    return `user:info:${id}`;
  }

  async get(id: number): Promise<User | null> {
    const raw = await this.cache.get(this.key(id));
    if (raw === null) return null;
    let user = this.parsed.get(raw);
    if (!user) {
      user = Object.freeze(JSON.parse(raw) as User);
      this.parsed.set(raw, user);
    }
    return user;
  }

  async set(user: User): Promise<void> {
    await this.cache.set(this.key(user.id), JSON.stringify(user), this.ttlMs);
  }

  async delete(id: number): Promise<void> {
    await this.cache.del(this.key(id));
  }
}
