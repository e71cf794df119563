import type { Kysely, Migration } from 'kysely';
import { addIdColumn, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * Threaded comments under articles. A top-level comment has root_id = parent_id = 0; a
 * reply points at its thread's root and at the comment it answers. reply_cnt lives on the
 * root (the size of its thread), kept in SQL in the same transaction as the reply.
 * article_author_id is copied in at creation (authorship never changes) so deciding who
 * may delete a comment needs no other module, even after the article was withdrawn.
 */
export const comments = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('comments')))
      .addColumn('article_id', 'bigint', (c) => c.notNull())
      .addColumn('article_author_id', 'bigint', (c) => c.notNull())
      .addColumn('uid', 'bigint', (c) => c.notNull())
      .addColumn('root_id', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('parent_id', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('content', 'varchar(2000)', (c) => c.notNull())
      .addColumn('reply_cnt', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
    // Top-level comments of an article, newest first: article_id = ? and root_id = 0 and id < cursor.
    await db.schema.createIndex('idx_comments_article_root').on('comments').columns(['article_id', 'root_id', 'id']).execute();
    // A thread's replies in order: root_id = ? and id > cursor.
    await db.schema.createIndex('idx_comments_root').on('comments').columns(['root_id', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('comments').execute();
  },
});
