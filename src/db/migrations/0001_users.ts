import type { Kysely, Migration } from 'kysely';
import { addIdColumn, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/** Accounts and their login sessions. */
export const users = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('users')))
      .addColumn('email', 'varchar(128)')
      .addColumn('password_hash', 'varchar(255)')
      .addColumn('phone', 'varchar(20)')
      .addColumn('nickname', 'varchar(64)', (c) => c.notNull().defaultTo(''))
      .addColumn('birthday', 'varchar(10)')
      .addColumn('about_me', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
    // NULLs never collide in a unique index on any of the three: phone-only users are fine.
    await db.schema.createIndex('uk_users_email').on('users').column('email').unique().execute();
    await db.schema.createIndex('uk_users_phone').on('users').column('phone').unique().execute();

    await withTableOptions(dialect, db.schema.createTable('user_sessions'))
      .addColumn('ssid', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('uid', 'bigint', (c) => c.notNull())
      .addColumn('refresh_jti', 'varchar(64)', (c) => c.notNull())
      .addColumn('ua_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked', 'smallint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('idx_user_sessions_uid').on('user_sessions').column('uid').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('user_sessions').execute();
    await db.schema.dropTable('users').execute();
  },
});
