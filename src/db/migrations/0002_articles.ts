import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import { addIdColumn, longTextType, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * Articles in two tables, as the original: the author's working copy (`articles`, drafts
 * included) and the readers' copy (`published_articles`, same id), written together in
 * one transaction on publish. A reader query never touches a draft.
 */
export const articles = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    /** Both copies have the same columns after their id. */
    const withArticleColumns = <T extends string>(table: CreateTableBuilder<T, 'id'>) =>
      table
        .addColumn('author_id', 'bigint', (c) => c.notNull())
        .addColumn('title', 'varchar(256)', (c) => c.notNull())
        .addColumn('content', longTextType(dialect), (c) => c.notNull())
        .addColumn('status', 'smallint', (c) => c.notNull())
        .addColumn('ctime', 'bigint', (c) => c.notNull())
        .addColumn('utime', 'bigint', (c) => c.notNull());

    await withArticleColumns(withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('articles')))).execute();
    // The author's list: newest first.
    await db.schema.createIndex('idx_articles_author_utime').on('articles').columns(['author_id', 'utime']).execute();

    // Same id as the author's copy: no auto-increment here.
    await withArticleColumns(withTableOptions(dialect, db.schema.createTable('published_articles')).addColumn('id', 'bigint', (c) => c.primaryKey())).execute();
    await db.schema.createIndex('idx_published_author_utime').on('published_articles').columns(['author_id', 'utime']).execute();
    await db.schema.createIndex('idx_published_status_utime').on('published_articles').columns(['status', 'utime']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('published_articles').execute();
    await db.schema.dropTable('articles').execute();
  },
});
