import { type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { insertReturningId, onConflictIgnore, type Dialect } from '../../pkg/db/dialect.js';
import type { Biz, CollectedItem, Collection } from './interactive.domain.js';

type Executor = Kysely<DB>;

/** Collection folders and what is in them. Every statement is scoped to the owner's uid. */
export class CollectionDao {
  constructor(
    readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  createFolder(uid: number, name: string, now: number): Promise<number> {
    return insertReturningId(this.db, this.dialect, 'collections', { uid, name, ctime: now, utime: now });
  }

  async countFolders(uid: number): Promise<number> {
    const row = await this.db.selectFrom('collections').select((eb) => eb.fn.countAll().as('n')).where('uid', '=', uid).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async ownsFolder(tx: Executor, uid: number, cid: number): Promise<boolean> {
    const row = await tx.selectFrom('collections').select('id').where('id', '=', cid).where('uid', '=', uid).executeTakeFirst();
    return row !== undefined;
  }

  /** The owner's folders with their item counts, oldest first (the order they were made in). */
  async listFolders(uid: number): Promise<Collection[]> {
    const rows = await this.db
      .selectFrom('collections as c')
      .leftJoin('collection_items as i', (join) => join.onRef('i.cid', '=', 'c.id').onRef('i.uid', '=', 'c.uid'))
      .select((eb) => ['c.id', 'c.name', 'c.ctime', 'c.utime', eb.fn.count('i.biz_id').as('count')])
      .where('c.uid', '=', uid)
      .groupBy(['c.id', 'c.name', 'c.ctime', 'c.utime'])
      .orderBy('c.id')
      .execute();
    return rows.map((r) => ({ id: Number(r.id), name: r.name, count: Number(r.count), ctime: Number(r.ctime), utime: Number(r.utime) }));
  }

  async renameFolder(uid: number, cid: number, name: string, now: number): Promise<boolean> {
    const result = await this.db.updateTable('collections').set({ name, utime: now }).where('id', '=', cid).where('uid', '=', uid).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Deletes the folder and its items; returns what was in it (their counters drop). */
  async deleteFolder(tx: Executor, uid: number, cid: number): Promise<{ found: boolean; items: { biz: string; bizId: number }[] }> {
    const items = await tx.selectFrom('collection_items').select(['biz', 'biz_id']).where('uid', '=', uid).where('cid', '=', cid).execute();
    await tx.deleteFrom('collection_items').where('uid', '=', uid).where('cid', '=', cid).execute();
    const result = await tx.deleteFrom('collections').where('id', '=', cid).where('uid', '=', uid).executeTakeFirst();
    return { found: Number(result.numDeletedRows) > 0, items: items.map((i) => ({ biz: i.biz, bizId: Number(i.biz_id) })) };
  }

  /**
   * Puts the item in folder cid: 'added' when it was in no folder of this user, 'moved'
   * when it was in another, 'unchanged' when it already was in cid.
   */
  async putItem(tx: Executor, uid: number, biz: Biz, bizId: number, cid: number, now: number): Promise<'added' | 'moved' | 'unchanged'> {
    const result = await tx
      .insertInto('collection_items')
      .values({ uid, biz, biz_id: bizId, cid, ctime: now })
      .$call(onConflictIgnore(this.dialect, ['uid', 'biz', 'biz_id']))
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return 'added';
    const moved = await tx
      .updateTable('collection_items')
      .set({ cid, ctime: now })
      .where('uid', '=', uid)
      .where('biz', '=', biz)
      .where('biz_id', '=', bizId)
      .where('cid', '<>', cid)
      .executeTakeFirst();
    return Number(moved.numUpdatedRows) > 0 ? 'moved' : 'unchanged';
  }

  async removeItem(tx: Executor, uid: number, biz: Biz, bizId: number): Promise<boolean> {
    const result = await tx.deleteFrom('collection_items').where('uid', '=', uid).where('biz', '=', biz).where('biz_id', '=', bizId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** A folder's items, most recently collected first. */
  async items(uid: number, cid: number, biz: Biz, offset: number, limit: number): Promise<CollectedItem[]> {
    const rows = await this.db
      .selectFrom('collection_items')
      .select(['biz_id', 'ctime'])
      .where('uid', '=', uid)
      .where('cid', '=', cid)
      .where('biz', '=', biz)
      .orderBy('ctime', 'desc')
      .orderBy('biz_id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ bizId: Number(r.biz_id), ctime: Number(r.ctime) }));
  }
}
