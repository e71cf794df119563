import type { Logger } from '../../pkg/logger/logger.js';
import type { UserCache } from './user.cache.js';
import type { UserDao } from './user.dao.js';
import type { ProfileEdit, User } from './user.domain.js';

/**
 * Users as the service sees them: the dao is the truth, the cache a read-through copy.
 * A cache failure on read falls back to the database (logged P2): the cache is an
 * accelerator, not a dependency of correctness.
 */
export class UserRepository {
  constructor(
    private readonly dao: UserDao,
    private readonly cache: UserCache,
    private readonly log: Logger,
  ) {}

  create(user: { email: string | null; passwordHash: string | null; phone: string | null }, now: number): Promise<number> {
    return this.dao.insert(user, now);
  }

  findByEmail(email: string): Promise<User | undefined> {
    return this.dao.findByEmail(email);
  }

  async findById(id: number): Promise<User | undefined> {
    try {
      const cached = await this.cache.get(id);
      if (cached) return cached;
    } catch (err) {
      this.log.warn({ severity: 'P2', err }, 'user cache read failed; reading the database');
    }
    const user = await this.dao.findById(id);
    if (user) await this.cache.set(user).catch((err) => this.log.warn({ severity: 'P2', err }, 'user cache fill failed'));
    return user;
  }

  /** Write, then drop the cached copy (after the write succeeded, never before). */
  async updateProfile(id: number, edit: ProfileEdit, now: number): Promise<boolean> {
    const found = await this.dao.updateProfile(id, edit, now);
    // The write has landed; a failed delete leaves a stale copy for one TTL, which ops must hear of.
    await this.cache.delete(id).catch((err) => this.log.error({ severity: 'P1', err, uid: id }, 'user cache delete failed; stale until TTL'));
    return found;
  }
}
