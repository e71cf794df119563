import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { DB, FeedPullEventsTable, FeedPushEventsTable } from '../../db/schema.js';
import { onConflictIgnore, type Dialect } from '../../pkg/db/dialect.js';
import { FeedKind, type FeedCursor, type FeedExt, type FeedRow } from './feed.domain.js';

/** The pool or a transaction (a Transaction is a Kysely). */
type Executor = Kysely<DB>;

export interface InboxRow {
  uid: number;
  actorId: number;
  kind: FeedKind;
  refKey: string;
  ext: FeedExt;
  ctime: number;
}

/** Rows per INSERT: a fan-out to a thousand followers is a few statements, not a thousand. */
const INSERT_CHUNK = 500;

const toRow = (src: 0 | 1) => (r: Selectable<FeedPushEventsTable> | Selectable<FeedPullEventsTable>): FeedRow => ({
  src,
  id: Number(r.id),
  actorId: Number(r.actor_id),
  kind: r.kind as FeedKind,
  ext: JSON.parse(r.ext) as FeedExt,
  ctime: Number(r.ctime),
});

/**
 * Rows after the cursor in a table whose rows all have source `src`: the tuple
 * (ctime, src, id) < (cursor.ctime, cursor.src, cursor.id), with src a constant here.
 * A row-value comparison (all three databases have them) rather than the equivalent
 * `ctime < c or (ctime = c and id < cid)`: MariaDB's range optimizer turns that OR, times the
 * outbox's 500-author IN list, into a thousand ranges and took 10-20 ms to plan and run it
 * (bench/feed.ts); the row value is one range per author, under 2 ms.
 */
function olderThan(src: 0 | 1, c: FeedCursor) {
  const ctime = sql.ref('ctime');
  if (src < c.src) return sql<SqlBool>`${ctime} <= ${c.ctime}`;
  if (src > c.src) return sql<SqlBool>`${ctime} < ${c.ctime}`;
  return sql<SqlBool>`(${ctime}, ${sql.ref('id')}) < (${c.ctime}, ${c.id})`;
}

/** Inboxes (push) and outboxes (pull). Writes are insert-ignore on ref_key: a fact lands once. */
export class FeedDao {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** True when the author's outbox did not hold this fact yet. */
  async addToOutbox(tx: Executor, row: Omit<InboxRow, 'uid'> & { fannedOut: boolean }): Promise<boolean> {
    const result = await tx
      .insertInto('feed_pull_events')
      .values({ actor_id: row.actorId, kind: row.kind, ref_key: row.refKey, ext: JSON.stringify(row.ext), fanned_out: row.fannedOut ? 1 : 0, ctime: row.ctime })
      .$call(onConflictIgnore(this.dialect, ['actor_id', 'ref_key']))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async addToInboxes(tx: Executor, rows: InboxRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const values = rows.slice(i, i + INSERT_CHUNK).map((r) => ({ uid: r.uid, actor_id: r.actorId, kind: r.kind, ref_key: r.refKey, ext: JSON.stringify(r.ext), ctime: r.ctime }));
      await tx.insertInto('feed_push_events').values(values).$call(onConflictIgnore(this.dialect, ['uid', 'ref_key'])).execute();
    }
  }

  /**
   * A reader's inbox, newest first. Articles only from authors still followed (an
   * unfollow hides what was pushed before it); notifications about the reader's own content always.
   */
  async inbox(uid: number, followees: number[], cursor: FeedCursor | undefined, limit: number, kinds?: FeedKind[]): Promise<FeedRow[]> {
    let q = this.db
      .selectFrom('feed_push_events')
      .selectAll()
      .where('uid', '=', uid)
      .where((eb) => (followees.length > 0 ? eb.or([eb('kind', '<>', FeedKind.article), eb('actor_id', 'in', followees)]) : eb('kind', '<>', FeedKind.article)));
    if (kinds) q = q.where('kind', 'in', kinds);
    if (cursor) q = q.where(olderThan(1, cursor));
    const rows = await q.orderBy('ctime', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toRow(1));
  }

  /** What the given authors published that was not pushed (pull), newest first. */
  async outboxes(actors: number[], cursor: FeedCursor | undefined, limit: number): Promise<FeedRow[]> {
    if (actors.length === 0) return [];
    let q = this.db.selectFrom('feed_pull_events').selectAll().where('actor_id', 'in', actors).where('fanned_out', '=', 0);
    if (cursor) q = q.where(olderThan(0, cursor));
    const rows = await q.orderBy('ctime', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toRow(0));
  }
}
