import type { Kysely, Migration } from 'kysely';
import { addIdColumn, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * Follows (a relation row per pair plus per-user counts, written in one transaction) and
 * the feed: an inbox per reader (push: rows written by the fan-out consumer) and an outbox
 * per author (pull: merged into a follower's feed when it is read).
 */
export const followsFeed = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    // The id orders both lists (newest follow first) and is their cursor.
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('follow_relations')))
      .addColumn('follower_id', 'bigint', (c) => c.notNull())
      .addColumn('followee_id', 'bigint', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uk_follow_pair').on('follow_relations').columns(['follower_id', 'followee_id']).unique().execute();
    await db.schema.createIndex('idx_follow_followee').on('follow_relations').columns(['followee_id', 'id']).execute();
    await db.schema.createIndex('idx_follow_follower').on('follow_relations').columns(['follower_id', 'id']).execute();

    await withTableOptions(dialect, db.schema.createTable('follow_counts'))
      .addColumn('uid', 'bigint', (c) => c.primaryKey())
      .addColumn('follower_cnt', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('followee_cnt', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();

    // Inbox: what one reader (uid) is shown; ref_key names the fact, so a fact lands once per reader.
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('feed_push_events')))
      .addColumn('uid', 'bigint', (c) => c.notNull())
      .addColumn('actor_id', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('ref_key', 'varchar(128)', (c) => c.notNull())
      .addColumn('ext', 'text', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uk_feed_push_ref').on('feed_push_events').columns(['uid', 'ref_key']).unique().execute();
    await db.schema.createIndex('idx_feed_push_uid_time').on('feed_push_events').columns(['uid', 'ctime', 'id']).execute();

    // Outbox: every article an author published; fanned_out = 1 when it was also pushed to inboxes.
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('feed_pull_events')))
      .addColumn('actor_id', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('ref_key', 'varchar(128)', (c) => c.notNull())
      .addColumn('ext', 'text', (c) => c.notNull())
      .addColumn('fanned_out', 'smallint', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uk_feed_pull_ref').on('feed_pull_events').columns(['actor_id', 'ref_key']).unique().execute();
    await db.schema.createIndex('idx_feed_pull_actor_time').on('feed_pull_events').columns(['actor_id', 'fanned_out', 'ctime', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['feed_pull_events', 'feed_push_events', 'follow_counts', 'follow_relations']) await db.schema.dropTable(table).execute();
  },
});
