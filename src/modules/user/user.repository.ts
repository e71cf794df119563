import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTransaction } from '../../pkg/db/transaction.js';
import type { EventOutbox } from '../../pkg/events/outbox.js';
import type { UserCache } from './user.cache.js';
import type { UserDao } from './user.dao.js';
import type { ProfileEdit, User } from './user.domain.js';
import { USER_RENAMED, type UserRenamed } from './user.events.js';
import type { Identity, UserIdentityDao } from './user.identity.dao.js';

/**
 * Users as the service sees them: the dao is the truth, the cache a read-through copy
 * deleted after every write. A cache fault is not hidden here: sessions and rate limits
 * need the same cache, so the request fails as a whole (503, logged P0 with its trace id).
 */
export class UserRepository {
  constructor(
    private readonly dao: UserDao,
    private readonly cache: UserCache,
    private readonly identities: UserIdentityDao,
    private readonly db: Kysely<DB>,
    private readonly outbox: EventOutbox,
  ) {}

  findUserIdByIdentity(identity: Identity): Promise<number | undefined> {
    return this.identities.findUserId(identity);
  }

  /**
   * A new account (no email, password or phone) and its identity, in one transaction: if
   * the identity is taken (a racing first login won), neither row is kept and the
   * unique violation reaches the caller.
   */
  createWithIdentity(identity: Identity, now: number): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      const uid = await this.dao.insert({ email: null, passwordHash: null, phone: null }, now, tx);
      await this.identities.insert(uid, identity, now, tx);
      return uid;
    });
  }

  /** `also` (another module's row of the same account) joins the insert's transaction. */
  create(
    user: { email: string | null; passwordHash: string | null; phone: string | null },
    now: number,
    also?: (tx: Kysely<DB>, uid: number) => Promise<void>,
  ): Promise<number> {
    if (!also) return this.dao.insert(user, now);
    return inTransaction(this.db, async (tx) => {
      const uid = await this.dao.insert(user, now, tx);
      await also(tx, uid);
      return uid;
    });
  }

  /**
   * Credentials and the about-me of one account, and `also` (another module's row of the
   * same account), in one transaction: all of it or none. The cached copy goes after.
   */
  async updateAccount(
    id: number,
    change: { email?: string; passwordHash?: string; aboutMe?: string },
    now: number,
    also?: (tx: Kysely<DB>) => Promise<void>,
  ): Promise<boolean> {
    const { aboutMe, ...credentials } = change;
    const found = await inTransaction(this.db, async (tx) => {
      if (Object.keys(credentials).length > 0 && !(await this.dao.updateCredentials(id, credentials, now, tx))) return false;
      if (aboutMe !== undefined && !(await this.dao.updateProfile(id, { aboutMe }, now, tx))) return false;
      await also?.(tx);
      return true;
    });
    await this.cache.delete(id);
    return found;
  }

  findByEmail(email: string): Promise<User | undefined> {
    return this.dao.findByEmail(email);
  }

  findByPhone(phone: string): Promise<User | undefined> {
    return this.dao.findByPhone(phone);
  }

  /** findById when the cache holds the user in this process; undefined otherwise. */
  heldById(id: number): User | undefined {
    return this.cache.held(id);
  }

  async findById(id: number): Promise<User | undefined> {
    const cached = await this.cache.get(id);
    if (cached) return cached;
    const user = await this.dao.findById(id);
    if (user) await this.cache.set(user);
    return user;
  }

  /**
   * Write, then drop the cached copy (after the write, never before). If the delete
   * fails the caller gets a 503 and may retry: the edit is idempotent. A nickname that
   * really changed adds `user.renamed` to the outbox in the same transaction (forms send
   * every field back: an unchanged one announces nothing).
   */
  async updateProfile(id: number, edit: ProfileEdit, now: number): Promise<boolean> {
    const result = await inTransaction(this.db, async (tx) => {
      const before = edit.nickname === undefined ? undefined : await this.dao.nicknameOf(id, tx);
      if (!(await this.dao.updateProfile(id, edit, now, tx))) return { found: false, renamed: false };
      const renamed = before !== undefined && before !== edit.nickname;
      if (renamed) await this.outbox.add(tx, { eventId: randomUUID(), topic: USER_RENAMED, payload: { uid: id } satisfies UserRenamed }, now);
      return { found: true, renamed };
    });
    await this.cache.delete(id);
    if (result.renamed) void this.outbox.relay(); // after the commit; the relay's timer retries if the bus is down
    return result.found;
  }
}
