import type { Kysely, Migration } from 'kysely';
import { addIdColumn, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * Counters per (biz, biz_id), who liked what, collection folders and their items, and
 * the ids of events a consumer has already applied (its idempotency ledger).
 */
export const interactive = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('interactives')))
      .addColumn('biz', 'varchar(32)', (c) => c.notNull())
      .addColumn('biz_id', 'bigint', (c) => c.notNull())
      .addColumn('read_cnt', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('like_cnt', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('collect_cnt', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uk_interactives_biz').on('interactives').columns(['biz', 'biz_id']).unique().execute();

    await withTableOptions(dialect, db.schema.createTable('user_likes'))
      .addColumn('uid', 'bigint', (c) => c.notNull())
      .addColumn('biz', 'varchar(32)', (c) => c.notNull())
      .addColumn('biz_id', 'bigint', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_user_likes', ['uid', 'biz', 'biz_id'])
      .execute();

    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('collections')))
      .addColumn('uid', 'bigint', (c) => c.notNull())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uk_collections_uid_name').on('collections').columns(['uid', 'name']).unique().execute();

    // One place per (user, thing): collecting it into another folder moves it.
    await withTableOptions(dialect, db.schema.createTable('collection_items'))
      .addColumn('uid', 'bigint', (c) => c.notNull())
      .addColumn('biz', 'varchar(32)', (c) => c.notNull())
      .addColumn('biz_id', 'bigint', (c) => c.notNull())
      .addColumn('cid', 'bigint', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_collection_items', ['uid', 'biz', 'biz_id'])
      .execute();
    await db.schema.createIndex('idx_collection_items_cid').on('collection_items').columns(['cid', 'ctime']).execute();

    await withTableOptions(dialect, db.schema.createTable('processed_events'))
      .addColumn('consumer', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_processed_events', ['consumer', 'event_id'])
      .execute();
    await db.schema.createIndex('idx_processed_events_ctime').on('processed_events').column('ctime').execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['processed_events', 'collection_items', 'collections', 'user_likes', 'interactives']) {
      await db.schema.dropTable(table).execute();
    }
  },
});
