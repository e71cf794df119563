import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import type { Database } from '../../src/pkg/db/database.js';
import { precompile, precompileIndexed } from '../../src/pkg/db/precompiled.js';
import { dialects, freshDatabase } from '../support/backends.js';

describe.each(dialects)('a query compiled once, run with new values, on %s', (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    await database.db
      .insertInto('user_likes')
      .values([
        { uid: 1, biz: 'article', biz_id: 10, ctime: 100 },
        { uid: 1, biz: 'article', biz_id: 11, ctime: 200 },
        { uid: 2, biz: 'article', biz_id: 10, ctime: 300 },
        { uid: 2, biz: 'comment', biz_id: 10, ctime: 400 },
      ])
      .execute();
  });
  afterAll(async () => drop());

  it('when run with each set of values, then it answers what the query built afresh answers, built-in values kept', async () => {
    const { db } = database;
    const likesOf = precompile<{ uid: number; since: number }, { biz_id: number }>((param) =>
      db.selectFrom('user_likes').select('biz_id').where('uid', '=', param('uid')).where('biz', '=', 'article').where('ctime', '>=', param('since')).orderBy('biz_id'),
    );
    const fresh = (uid: number, since: number) =>
      db.selectFrom('user_likes').select('biz_id').where('uid', '=', uid).where('biz', '=', 'article').where('ctime', '>=', since).orderBy('biz_id').execute();
    for (const [uid, since] of [[1, 0], [1, 150], [2, 0], [3, 0], [2, 350]] as const) {
      const rows = (await db.executeQuery(likesOf({ uid, since }))).rows;
      expect(rows.map((r) => Number(r.biz_id))).toEqual((await fresh(uid, since)).map((r) => Number(r.biz_id)));
    }
    expect(likesOf({ uid: 1, since: 0 }).sql).toBe(likesOf({ uid: 2, since: 5 }).sql);
    expect(likesOf({ uid: 9, since: 5 }).parameters).toEqual([9, 'article', 5]);
  });

  it('when a value stands in more than one place, then each place gets it', () => {
    const q = precompile<{ id: number }, unknown>((param) =>
      database.db.selectFrom('user_likes').select('uid').where('uid', '=', param('id')).where('biz_id', '=', param('id')),
    );
    expect(q({ id: 42 }).parameters).toEqual([42, 42]);
  });
});

describe.each(dialects)('a query compiled once with numbered stand-ins, on %s', (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
  });
  afterAll(async () => drop());

  it('when run with arrays of values, then each stand-in takes the value at its number and the rows are written', async () => {
    const { db } = database;
    // Two rows, their values laid out as the read counter lays them out: per row id and ctime, then the shared biz last.
    const insert = precompileIndexed<unknown>((param) =>
      db.insertInto('user_likes').values([0, 1].map((row) => ({ uid: 7, biz: param(4), biz_id: param(2 * row), ctime: param(2 * row + 1) }))),
    );
    expect(insert([10, 100, 11, 200, 'article']).parameters).toEqual([7, 'article', 10, 100, 7, 'article', 11, 200]);
    await db.executeQuery(insert([20, 300, 21, 400, 'comment']));
    await db.executeQuery(insert([22, 500, 23, 600, 'comment']));
    const rows = await db.selectFrom('user_likes').select(['biz', 'biz_id', 'ctime']).where('uid', '=', 7).orderBy('biz_id').execute();
    expect(rows.map((r) => [r.biz, Number(r.biz_id), Number(r.ctime)])).toEqual([
      ['comment', 20, 300],
      ['comment', 21, 400],
      ['comment', 22, 500],
      ['comment', 23, 600],
    ]);
  });
});
