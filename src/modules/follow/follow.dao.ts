import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inserted, onConflictIgnore, onConflictUpdate, type Dialect } from '../../pkg/db/dialect.js';
import type { FollowCounts, FollowEntry } from './follow.domain.js';

/** The pool or a transaction (a Transaction is a Kysely). */
type Executor = Kysely<DB>;

export interface CountDelta {
  uid: number;
  followerCnt: number;
  followeeCnt: number;
}

/** Follow relations and per-user counts. */
export class FollowDao {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** True when this call created the relation (following twice inserts nothing). */
  async insertRelation(tx: Executor, followerId: number, followeeId: number, now: number): Promise<boolean> {
    const result = await tx
      .insertInto('follow_relations')
      .values({ follower_id: followerId, followee_id: followeeId, ctime: now })
      .$call(onConflictIgnore(this.dialect, ['follower_id', 'followee_id']))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteRelation(tx: Executor, followerId: number, followeeId: number): Promise<boolean> {
    const result = await tx.deleteFrom('follow_relations').where('follower_id', '=', followerId).where('followee_id', '=', followeeId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * Adds to both users' counts in one multi-row upsert (count = count + delta, atomic on
   * every dialect); rows in uid order, so two concurrent follows lock in the same order.
   */
  async addCounts(tx: Executor, deltas: CountDelta[], now: number): Promise<void> {
    const rows = [...deltas].sort((a, b) => a.uid - b.uid).map((d) => ({ uid: d.uid, follower_cnt: d.followerCnt, followee_cnt: d.followeeCnt, utime: now }));
    const add = (column: string) => sql`${sql.ref(`follow_counts.${column}`)} + ${inserted(this.dialect, column)}`;
    await tx
      .insertInto('follow_counts')
      .values(rows)
      .$call(onConflictUpdate(this.dialect, ['uid'], { follower_cnt: add('follower_cnt'), followee_cnt: add('followee_cnt'), utime: inserted(this.dialect, 'utime') }))
      .execute();
  }

  async counts(uid: number): Promise<FollowCounts> {
    const row = await this.db.selectFrom('follow_counts').select(['follower_cnt', 'followee_cnt']).where('uid', '=', uid).executeTakeFirst();
    return { followerCnt: Number(row?.follower_cnt ?? 0), followeeCnt: Number(row?.followee_cnt ?? 0) };
  }

  async follows(followerId: number, followeeId: number): Promise<boolean> {
    const row = await this.db.selectFrom('follow_relations').select('id').where('follower_id', '=', followerId).where('followee_id', '=', followeeId).executeTakeFirst();
    return row !== undefined;
  }

  /** Who follows uid, newest follow first, older than `before` (a relation id) when given. */
  async followers(uid: number, before: number | undefined, limit: number): Promise<FollowEntry[]> {
    let q = this.db.selectFrom('follow_relations').select(['id', 'follower_id as other', 'ctime']).where('followee_id', '=', uid);
    if (before !== undefined) q = q.where('id', '<', before);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ relationId: Number(r.id), uid: Number(r.other), ctime: Number(r.ctime) }));
  }

  /** Whom uid follows, newest follow first, older than `before` when given. */
  async followees(uid: number, before: number | undefined, limit: number): Promise<FollowEntry[]> {
    let q = this.db.selectFrom('follow_relations').select(['id', 'followee_id as other', 'ctime']).where('follower_id', '=', uid);
    if (before !== undefined) q = q.where('id', '<', before);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ relationId: Number(r.id), uid: Number(r.other), ctime: Number(r.ctime) }));
  }

  /** Every id uid follows (at most FOLLOWEES_MAX exist, so one query). */
  async followeeIds(uid: number): Promise<number[]> {
    const rows = await this.db.selectFrom('follow_relations').select('followee_id').where('follower_id', '=', uid).execute();
    return rows.map((r) => Number(r.followee_id));
  }
}
