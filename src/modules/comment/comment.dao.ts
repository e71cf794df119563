import type { Kysely, Selectable } from 'kysely';
import type { CommentsTable, DB } from '../../db/schema.js';
import { insertReturningId, type Dialect } from '../../pkg/db/dialect.js';
import type { Comment } from './comment.domain.js';

/** The pool or a transaction (a Transaction is a Kysely). */
type Executor = Kysely<DB>;

/** Bounds an IN list: every dialect takes this many parameters in one statement. */
const DELETE_CHUNK = 500;

const toComment = (r: Selectable<CommentsTable>): Comment => ({
  id: Number(r.id),
  articleId: Number(r.article_id),
  articleAuthorId: Number(r.article_author_id),
  uid: Number(r.uid),
  rootId: Number(r.root_id),
  parentId: Number(r.parent_id),
  content: r.content,
  replyCnt: Number(r.reply_cnt),
  ctime: Number(r.ctime),
  utime: Number(r.utime),
});

/** Queries of the comments table; lists are cursor-paged by id (never OFFSET). */
export class CommentDao {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  insert(tx: Executor, c: Omit<Comment, 'id' | 'replyCnt'>): Promise<number> {
    return insertReturningId(tx, this.dialect, 'comments', {
      article_id: c.articleId,
      article_author_id: c.articleAuthorId,
      uid: c.uid,
      root_id: c.rootId,
      parent_id: c.parentId,
      content: c.content,
      reply_cnt: 0,
      ctime: c.ctime,
      utime: c.utime,
    });
  }

  async find(ex: Executor, id: number): Promise<Comment | undefined> {
    const row = await ex.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toComment(row);
  }

  /** The ids among ids that still exist. */
  async existing(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('comments').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * Takes the thread's lock: a write to its root row, which MySQL and PostgreSQL hold until
   * commit (SQLite serialises writers anyway). A reply and a deletion of the same thread
   * thereby run one after the other, so no reply can land under a comment being deleted.
   * False when the root is gone.
   */
  async lockThread(tx: Executor, rootId: number): Promise<boolean> {
    const result = await tx.updateTable('comments').set((eb) => ({ reply_cnt: eb.ref('reply_cnt') })).where('id', '=', rootId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 || (await this.find(tx, rootId)) !== undefined;
  }

  /** reply_cnt = reply_cnt + by, in SQL. */
  async addReplies(tx: Executor, rootId: number, by: number, now: number): Promise<void> {
    await tx
      .updateTable('comments')
      .set((eb) => ({ reply_cnt: eb('reply_cnt', '+', by), utime: now }))
      .where('id', '=', rootId)
      .execute();
  }

  /** The (id, parentId) pairs of a thread's replies. */
  async threadShape(tx: Executor, rootId: number): Promise<{ id: number; parentId: number }[]> {
    const rows = await tx.selectFrom('comments').select(['id', 'parent_id']).where('root_id', '=', rootId).execute();
    return rows.map((r) => ({ id: Number(r.id), parentId: Number(r.parent_id) }));
  }

  /** A root and every reply in its thread; returns how many rows went. */
  async deleteThread(tx: Executor, rootId: number): Promise<number> {
    const replies = await tx.deleteFrom('comments').where('root_id', '=', rootId).executeTakeFirst();
    const root = await tx.deleteFrom('comments').where('id', '=', rootId).executeTakeFirst();
    return Number(replies.numDeletedRows) + Number(root.numDeletedRows);
  }

  async deleteIds(tx: Executor, ids: number[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      const result = await tx.deleteFrom('comments').where('id', 'in', ids.slice(i, i + DELETE_CHUNK)).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }

  /** Top-level comments of an article, newest first, older than `before` (an id) when given. */
  async roots(articleId: number, before: number | undefined, limit: number): Promise<Comment[]> {
    let q = this.db.selectFrom('comments').selectAll().where('article_id', '=', articleId).where('root_id', '=', 0);
    if (before !== undefined) q = q.where('id', '<', before);
    return (await q.orderBy('id', 'desc').limit(limit).execute()).map(toComment);
  }

  /** A thread's replies, oldest first (a conversation reads in order), newer than `after` when given. */
  async replies(rootId: number, after: number | undefined, limit: number): Promise<Comment[]> {
    let q = this.db.selectFrom('comments').selectAll().where('root_id', '=', rootId);
    if (after !== undefined) q = q.where('id', '>', after);
    return (await q.orderBy('id', 'asc').limit(limit).execute()).map(toComment);
  }
}
