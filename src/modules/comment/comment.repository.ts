import { inTransaction } from '../../pkg/db/transaction.js';
import type { CommentDao } from './comment.dao.js';
import { subtreeOf, threadOf, type Comment } from './comment.domain.js';

export type NewComment = Pick<Comment, 'articleId' | 'articleAuthorId' | 'uid' | 'content'>;

/**
 * Comments as the service sees them. A reply and its root's reply_cnt change in one
 * transaction, as do a deletion and the count it takes away; both take the thread's lock
 * first (CommentDao.lockThread), so they never interleave.
 */
export class CommentRepository {
  constructor(private readonly dao: CommentDao) {}

  find(id: number): Promise<Comment | undefined> {
    return this.dao.find(this.dao.db, id);
  }

  existing(ids: number[]): Promise<Set<number>> {
    return this.dao.existing(ids);
  }

  async createRoot(c: NewComment, now: number): Promise<Comment> {
    const row = { ...c, rootId: 0, parentId: 0, ctime: now, utime: now };
    const id = await this.dao.insert(this.dao.db, row);
    return { ...row, id, replyCnt: 0 };
  }

  /** A reply under `parent`; undefined when the parent was deleted meanwhile. */
  async createReply(c: NewComment, parent: Comment, now: number): Promise<Comment | undefined> {
    const rootId = threadOf(parent);
    return inTransaction(this.dao.db, async (tx) => {
      if (!(await this.dao.lockThread(tx, rootId))) return undefined;
      if (!(await this.dao.find(tx, parent.id))) return undefined; // read after the lock: sees a committed deletion
      const row = { ...c, rootId, parentId: parent.id, ctime: now, utime: now };
      const id = await this.dao.insert(tx, row);
      await this.dao.addReplies(tx, rootId, 1, now);
      return { ...row, id, replyCnt: 0 };
    });
  }

  /**
   * Deletes the comment and everything beneath it: a root takes its whole thread, a reply
   * the replies that answer it (and their count off the root). Returns how many went.
   */
  async delete(comment: Comment, now: number): Promise<number> {
    const rootId = threadOf(comment);
    return inTransaction(this.dao.db, async (tx) => {
      if (!(await this.dao.lockThread(tx, rootId))) return 0;
      if (comment.rootId === 0) return this.dao.deleteThread(tx, rootId);
      const ids = subtreeOf(comment.id, await this.dao.threadShape(tx, rootId));
      const deleted = await this.dao.deleteIds(tx, ids);
      if (deleted > 0) await this.dao.addReplies(tx, rootId, -deleted, now);
      return deleted;
    });
  }

  roots(articleId: number, before: number | undefined, limit: number): Promise<Comment[]> {
    return this.dao.roots(articleId, before, limit);
  }

  replies(rootId: number, after: number | undefined, limit: number): Promise<Comment[]> {
    return this.dao.replies(rootId, after, limit);
  }
}
