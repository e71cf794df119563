import type { Kysely, Migration } from 'kysely';
import { addIdColumn, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';
import { createSearchTable, dropSearchTable } from '../../pkg/db/fulltext.js';

/**
 * Tags on both article copies, the published articles of each tag, the outbox of
 * article lifecycle events, and the full-text search table (its index per dialect lives
 * in pkg/db/fulltext.ts).
 */
export const tagsSearch = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    // A JSON array of at most 5 tags of at most 32 letters, digits and a few signs: under 200 characters.
    for (const table of ['articles', 'published_articles']) {
      await db.schema.alterTable(table).addColumn('tags', 'varchar(255)', (c) => c.notNull().defaultTo('[]')).execute();
    }

    // One row per tag of a published article; withdrawn articles have none.
    await withTableOptions(dialect, db.schema.createTable('published_article_tags'))
      .addColumn('tag', 'varchar(32)', (c) => c.notNull())
      .addColumn('article_id', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_published_article_tags', ['tag', 'article_id'])
      .execute();
    // Articles of a tag, newest first, paged by (utime, id).
    await db.schema.createIndex('idx_published_article_tags_page').on('published_article_tags').columns(['tag', 'utime', 'article_id']).execute();
    await db.schema.createIndex('idx_published_article_tags_article').on('published_article_tags').column('article_id').execute();

    // Events written in the transaction that caused them, relayed to the bus after commit.
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('event_outbox')))
      .addColumn('event_id', 'varchar(128)', (c) => c.notNull().unique())
      .addColumn('topic', 'varchar(128)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .execute();

    await createSearchTable(dialect, db);
  },
  async down(db: Kysely<unknown>) {
    await dropSearchTable(dialect, db);
    await db.schema.dropTable('event_outbox').execute();
    await db.schema.dropTable('published_article_tags').execute();
    for (const table of ['published_articles', 'articles']) await db.schema.alterTable(table).dropColumn('tags').execute();
  },
});
