import type { Kysely, Migration } from 'kysely';
import { withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * Who a user is at an OAuth2 provider (WeChat's unionid or openid, GitHub's numeric id).
 * The primary key (provider, subject) is what makes two racing first logins with one
 * identity end up as one user: the second insert fails and its transaction (with the
 * user it created) rolls back.
 */
export const oauthIdentities = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await withTableOptions(dialect, db.schema.createTable('user_identities'))
      .addColumn('provider', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject', 'varchar(128)', (c) => c.notNull())
      .addColumn('user_id', 'bigint', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_user_identities', ['provider', 'subject'])
      .execute();
    await db.schema.createIndex('idx_user_identities_user').on('user_identities').column('user_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('user_identities').execute();
  },
});
