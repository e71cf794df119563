import type { Kysely, Migration } from 'kysely';
import { withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * What the RealWorld "Conduit" API needs that Webook's own tables lack (docs/conduit.md).
 * conduit_profiles: a user's Conduit username (as written, and its lower-cased key, which
 * is unique, so "Ada" and "ada" are one name) and avatar URL; users without a row go by a
 * derived name. conduit_articles: an article's description; its slug is derived from the
 * title and id, so it needs no column.
 */
export const conduit = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await withTableOptions(dialect, db.schema.createTable('conduit_profiles'))
      .addColumn('uid', 'bigint', (c) => c.primaryKey())
      .addColumn('username', 'varchar(32)', (c) => c.notNull())
      .addColumn('username_key', 'varchar(32)', (c) => c.notNull())
      .addColumn('image', 'varchar(1024)')
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uk_conduit_username').on('conduit_profiles').column('username_key').unique().execute();

    await withTableOptions(dialect, db.schema.createTable('conduit_articles'))
      .addColumn('article_id', 'bigint', (c) => c.primaryKey())
      .addColumn('description', 'varchar(1024)', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('conduit_articles').execute();
    await db.schema.dropTable('conduit_profiles').execute();
  },
});
