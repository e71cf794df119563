import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inserted, onConflictIgnore, onConflictUpdate, type Dialect } from '../../pkg/db/dialect.js';
import { precompile, precompileIndexed } from '../../pkg/db/precompiled.js';
import { inTransaction } from '../../pkg/db/transaction.js';
import { ZERO, type Biz, type CounterDelta, type Counters, type ReadCountStore, type ReadRecord, type ReaderFlags } from './interactive.domain.js';

/** The pool or a transaction (a Transaction is a Kysely). */
type Executor = Kysely<DB>;

const COUNTER_COLUMNS = { readCnt: 'read_cnt', likeCnt: 'like_cnt', collectCnt: 'collect_cnt' } as const;

/** A (uid, bizId) pair's key in the maps of flagsMany. */
export const flagsKey = (uid: number, bizId: number) => `${uid}:${bizId}`;

/**
 * Counter rows in one INSERT at most (see addCounts): SQLite refuses more than 32,766 bound
 * values in one statement (PostgreSQL and MySQL 65,535), and a row binds seven. Smaller
 * statements also let the event loop in between them, while each one is on the wire.
 */
const ROWS_PER_STATEMENT = 250;

/** A counter row's values in an upsert: id, then the read, like and collect deltas. */
const VALUES_PER_ROW = 4;

/** Counters, likes and the consumers' ledger of applied events. */
export class InteractiveDao implements ReadCountStore {
  /** Compiled once: every reader's first view of an article runs it, and building it cost more than running it. */
  private readonly flagsQuery;
  /** The counter upserts compiled so far, by row count (ROWS_PER_STATEMENT at most). */
  private readonly upserts = new Map<number, (values: readonly (string | number)[]) => CompiledQuery>();

  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {
    this.flagsQuery = precompile<{ uid: number; biz: Biz; bizId: number }, { liked: unknown; collected: unknown }>((param) =>
      db.selectNoFrom((eb) => [
        eb.exists(eb.selectFrom('user_likes').select('uid').where('uid', '=', param('uid')).where('biz', '=', param('biz')).where('biz_id', '=', param('bizId'))).as('liked'),
        eb.exists(eb.selectFrom('collection_items').select('uid').where('uid', '=', param('uid')).where('biz', '=', param('biz')).where('biz_id', '=', param('bizId'))).as('collected'),
      ]),
    );
  }

  async counters(biz: Biz, bizId: number): Promise<Counters> {
    return (await this.countersOf(biz, [bizId])).get(bizId) ?? { ...ZERO };
  }

  /** Only ids with a row are in the map. */
  async countersOf(biz: Biz, bizIds: number[]): Promise<Map<number, Counters>> {
    if (bizIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('interactives')
      .select(['biz_id', 'read_cnt', 'like_cnt', 'collect_cnt'])
      .where('biz', '=', biz)
      .where('biz_id', 'in', bizIds)
      .execute();
    return new Map(rows.map((r) => [Number(r.biz_id), { readCnt: Number(r.read_cnt), likeCnt: Number(r.like_cnt), collectCnt: Number(r.collect_cnt) }]));
  }

  /**
   * Adds the deltas with multi-row INSERTs whose conflicts add to the existing row (atomic
   * on every dialect, no read-modify-write), ROWS_PER_STATEMENT rows a statement. Rows go
   * in id order so two concurrent batches lock in the same order and cannot deadlock each
   * other. The read counter sends thousands of rows a second: each statement is compiled
   * once per row count (upsertOf), since building a 1,000-row INSERT cost Kysely 4-12 ms
   * of the event loop, time every request waiting behind it waited too.
   */
  async addCounts(tx: Executor, biz: Biz, deltas: CounterDelta[], now: number): Promise<void> {
    if (deltas.length === 0) return;
    const sorted = [...deltas].sort((a, b) => a.bizId - b.bizId);
    for (let from = 0; from < sorted.length; from += ROWS_PER_STATEMENT) {
      const rows = Math.min(ROWS_PER_STATEMENT, sorted.length - from);
      // The statement's values in upsertOf's order: four per row, then biz and now.
      const values = new Array<string | number>(VALUES_PER_ROW * rows + 2);
      for (let i = 0; i < rows; i++) {
        const d = sorted[from + i]!;
        values[VALUES_PER_ROW * i] = d.bizId;
        values[VALUES_PER_ROW * i + 1] = d.readCnt ?? 0;
        values[VALUES_PER_ROW * i + 2] = d.likeCnt ?? 0;
        values[VALUES_PER_ROW * i + 3] = d.collectCnt ?? 0;
      }
      values[VALUES_PER_ROW * rows] = biz;
      values[VALUES_PER_ROW * rows + 1] = now;
      await tx.executeQuery(this.upsertOf(rows)(values));
    }
  }

  /** The counter upsert of `rows` rows, built and compiled on its first use; its values as addCounts lays them out. */
  private upsertOf(rows: number): (values: readonly (string | number)[]) => CompiledQuery {
    let upsert = this.upserts.get(rows);
    if (!upsert) {
      const add = (column: string) => sql`${sql.ref(`interactives.${column}`)} + ${inserted(this.dialect, column)}`;
      upsert = precompileIndexed<unknown>((param) => {
        const biz = param(VALUES_PER_ROW * rows);
        const now = param(VALUES_PER_ROW * rows + 1);
        return this.db
          .insertInto('interactives')
          .values(
            Array.from({ length: rows }, (_, i) => ({
              biz,
              biz_id: param(VALUES_PER_ROW * i),
              read_cnt: param(VALUES_PER_ROW * i + 1),
              like_cnt: param(VALUES_PER_ROW * i + 2),
              collect_cnt: param(VALUES_PER_ROW * i + 3),
              ctime: now,
              utime: now,
            })),
          )
          .$call(
            onConflictUpdate(this.dialect, ['biz', 'biz_id'], {
              ...Object.fromEntries(Object.values(COUNTER_COLUMNS).map((c) => [c, add(c)])),
              utime: inserted(this.dialect, 'utime'),
            }),
          );
      });
      this.upserts.set(rows, upsert);
    }
    return upsert;
  }

  /** True when this call created the like (idempotent: a second like inserts nothing). */
  async insertLike(tx: Executor, uid: number, biz: Biz, bizId: number, now: number): Promise<boolean> {
    const result = await tx
      .insertInto('user_likes')
      .values({ uid, biz, biz_id: bizId, ctime: now })
      .$call(onConflictIgnore(this.dialect, ['uid', 'biz', 'biz_id']))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteLike(tx: Executor, uid: number, biz: Biz, bizId: number): Promise<boolean> {
    const result = await tx.deleteFrom('user_likes').where('uid', '=', uid).where('biz', '=', biz).where('biz_id', '=', bizId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Whether uid liked it and whether it is in one of uid's folders, in one round trip. */
  async flags(uid: number, biz: Biz, bizId: number): Promise<ReaderFlags> {
    const [row] = (await this.db.executeQuery(this.flagsQuery({ uid, biz, bizId }))).rows;
    return { liked: Boolean(Number(row?.liked)), collected: Boolean(Number(row?.collected)) };
  }

  /**
   * The flags of many (uid, bizId) pairs of one biz in one round trip (flags.loader.ts gathers
   * them): the likes and the collected items among the pairs, by row-value IN lists, which
   * all three databases support. One pair runs the compiled single lookup instead.
   */
  async flagsMany(biz: Biz, pairs: ReadonlyArray<{ uid: number; bizId: number }>): Promise<Map<string, ReaderFlags>> {
    const found = new Map<string, ReaderFlags>(pairs.map((p) => [flagsKey(p.uid, p.bizId), { liked: false, collected: false }]));
    if (pairs.length === 1) {
      const [{ uid, bizId }] = pairs as [{ uid: number; bizId: number }];
      found.set(flagsKey(uid, bizId), await this.flags(uid, biz, bizId));
      return found;
    }
    if (pairs.length === 0) return found;
    const rows = await this.db
      .selectFrom('user_likes')
      .select([sql<string>`'liked'`.as('flag'), 'uid', 'biz_id'])
      .where('biz', '=', biz)
      .where((eb) => eb(eb.refTuple('uid', 'biz_id'), 'in', pairs.map((p) => eb.tuple(p.uid, p.bizId))))
      .unionAll((db) =>
        db
          .selectFrom('collection_items')
          .select([sql<string>`'collected'`.as('flag'), 'uid', 'biz_id'])
          .where('biz', '=', biz)
          .where((eb) => eb(eb.refTuple('uid', 'biz_id'), 'in', pairs.map((p) => eb.tuple(p.uid, p.bizId)))),
      )
      .execute();
    for (const r of rows) {
      const flags = found.get(flagsKey(Number(r.uid), Number(r.biz_id)));
      if (flags) flags[r.flag === 'liked' ? 'liked' : 'collected'] = true;
    }
    return found;
  }

  /** The ids among bizIds that uid liked (a page of comments shows its reader's likes). */
  async likedAmong(uid: number, biz: Biz, bizIds: number[]): Promise<Set<number>> {
    if (bizIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('user_likes').select('biz_id').where('uid', '=', uid).where('biz', '=', biz).where('biz_id', 'in', bizIds).execute();
    return new Set(rows.map((r) => Number(r.biz_id)));
  }

  /**
   * The ids of biz that uid liked and that uid collected (each list read along its primary
   * key's prefix), or null when either holds more than max.
   */
  async readerMarks(uid: number, biz: Biz, max: number): Promise<{ liked: number[]; collected: number[] } | null> {
    const [liked, collected] = await Promise.all(
      (['user_likes', 'collection_items'] as const).map((table) =>
        this.db.selectFrom(table).select('biz_id').where('uid', '=', uid).where('biz', '=', biz).limit(max + 1).execute(),
      ),
    );
    if (liked!.length > max || collected!.length > max) return null;
    return { liked: liked!.map((r) => Number(r.biz_id)), collected: collected!.map((r) => Number(r.biz_id)) };
  }

  /** What uid liked, newest like first (the primary key's (uid, biz) prefix finds them). */
  async likedIds(uid: number, biz: Biz, max: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('user_likes')
      .select('biz_id')
      .where('uid', '=', uid)
      .where('biz', '=', biz)
      .orderBy('ctime', 'desc')
      .orderBy('biz_id', 'desc')
      .limit(max)
      .execute();
    return rows.map((r) => Number(r.biz_id));
  }

  /**
   * Exactly-once counting of at-least-once events: the events not in the consumer's ledger
   * are entered in it and their reads added to the counters, in one transaction, so a
   * redelivered event (or one twice in a batch) counts nothing the second time.
   */
  async countReads(consumer: string, biz: Biz, reads: ReadRecord[], now: number): Promise<Map<number, number>> {
    const unique = [...new Map(reads.map((r) => [r.eventId, r])).values()];
    return inTransaction(this.db, async (tx) => {
      const todo = new Set(await this.unprocessed(tx, consumer, unique.map((r) => r.eventId)));
      const counted = unique.filter((r) => todo.has(r.eventId));
      await this.markProcessed(tx, consumer, counted.map((r) => r.eventId), now);
      const perTarget = new Map<number, number>();
      for (const r of counted) for (const bizId of r.bizIds) perTarget.set(bizId, (perTarget.get(bizId) ?? 0) + 1);
      await this.addCounts(tx, biz, [...perTarget].map(([bizId, readCnt]) => ({ bizId, readCnt })), now);
      return perTarget;
    });
  }

  /** The ids among eventIds this consumer has not applied yet. */
  async unprocessed(tx: Executor, consumer: string, eventIds: string[]): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const done = await tx
      .selectFrom('processed_events')
      .select('event_id')
      .where('consumer', '=', consumer)
      .where('event_id', 'in', eventIds)
      .execute();
    const seen = new Set(done.map((r) => r.event_id));
    return eventIds.filter((id) => !seen.has(id));
  }

  /** Records applied events; a concurrent duplicate fails the transaction, which the bus then retries. */
  async markProcessed(tx: Executor, consumer: string, eventIds: string[], now: number): Promise<void> {
    if (eventIds.length === 0) return;
    await tx
      .insertInto('processed_events')
      .values(eventIds.map((event_id) => ({ consumer, event_id, ctime: now })))
      .execute();
  }

  /** The ledger only needs to outlive the bus's redelivery horizon. */
  async pruneProcessed(before: number): Promise<number> {
    const result = await this.db.deleteFrom('processed_events').where('ctime', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
