import type { Cache } from '../../pkg/cache/cache.js';
import type { User } from './user.domain.js';

/** Users by id, as the original's UserCache: read-through, deleted after every write. */
export class UserCache {
  constructor(
    private readonly cache: Cache,
    private readonly ttlMs = 15 * 60 * 1000,
  ) {}

  private key(id: number): string {
    return `user:info:${id}`;
  }

  async get(id: number): Promise<User | null> {
    const raw = await this.cache.get(this.key(id));
    return raw === null ? null : (JSON.parse(raw) as User);
  }

  async set(user: User): Promise<void> {
    await this.cache.set(this.key(user.id), JSON.stringify(user), this.ttlMs);
  }

  async delete(id: number): Promise<void> {
    await this.cache.del(this.key(id));
  }
}
