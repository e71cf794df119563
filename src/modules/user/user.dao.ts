import type { Kysely, Selectable } from 'kysely';
import type { DB, UsersTable } from '../../db/schema.js';
import { insertReturningId, type Dialect } from '../../pkg/db/dialect.js';
import type { ProfileEdit, User } from './user.domain.js';

const toUser = (row: Selectable<UsersTable>): User => ({
  id: Number(row.id),
  email: row.email,
  passwordHash: row.password_hash,
  phone: row.phone,
  nickname: row.nickname,
  birthday: row.birthday,
  aboutMe: row.about_me,
  ctime: Number(row.ctime),
  utime: Number(row.utime),
});

/** Queries of the users table, nothing else. A duplicate email surfaces as the driver's unique violation. */
export class UserDao {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** `db` may be a transaction the new user belongs to (e.g. with its OAuth identity). */
  async insert(user: { email: string | null; passwordHash: string | null; phone: string | null }, now: number, db: Kysely<DB> = this.db): Promise<number> {
    return insertReturningId(db, this.dialect, 'users', {
      email: user.email,
      password_hash: user.passwordHash,
      phone: user.phone,
      nickname: '',
      about_me: '',
      ctime: now,
      utime: now,
    });
  }

  async findById(id: number): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toUser(row);
  }

  async findByPhone(phone: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
    return row && toUser(row);
  }

  /** A new email and/or password hash; false when no such user. A taken email is the driver's unique violation. */
  async updateCredentials(id: number, change: { email?: string; passwordHash?: string }, now: number, db: Kysely<DB> = this.db): Promise<boolean> {
    const result = await db
      .updateTable('users')
      .set({
        ...(change.email !== undefined && { email: change.email }),
        ...(change.passwordHash !== undefined && { password_hash: change.passwordHash }),
        utime: now,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The stored nickname, undefined when no such user; `db` may be the transaction about to change it. */
  async nicknameOf(id: number, db: Kysely<DB> = this.db): Promise<string | undefined> {
    const row = await db.selectFrom('users').select('nickname').where('id', '=', id).executeTakeFirst();
    return row?.nickname;
  }

  /** Updates only the given fields; false when no such user. */
  async updateProfile(id: number, edit: ProfileEdit, now: number, db: Kysely<DB> = this.db): Promise<boolean> {
    const result = await db
      .updateTable('users')
      .set({
        ...(edit.nickname !== undefined && { nickname: edit.nickname }),
        ...(edit.birthday !== undefined && { birthday: edit.birthday }),
        ...(edit.aboutMe !== undefined && { about_me: edit.aboutMe }),
        utime: now,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
