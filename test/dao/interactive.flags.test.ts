import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { flagsLoader } from '../../src/modules/interactive/flags.loader.js';
import { InteractiveDao, flagsKey } from '../../src/modules/interactive/interactive.dao.js';
import { Biz } from '../../src/modules/interactive/interactive.domain.js';
import type { Database } from '../../src/pkg/db/database.js';
import { dialects, freshDatabase } from '../support/backends.js';

describe.each(dialects)("readers' liked / collected flags read together, on %s", (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  let dao: InteractiveDao;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    dao = new InteractiveDao(database.db, dialect);
    // uid 1 liked 10, collected 11; uid 2 liked and collected 10; uid 3 liked comment 10 only.
    await database.db
      .insertInto('user_likes')
      .values([
        { uid: 1, biz: 'article', biz_id: 10, ctime: 1 },
        { uid: 2, biz: 'article', biz_id: 10, ctime: 1 },
        { uid: 3, biz: 'comment', biz_id: 10, ctime: 1 },
      ])
      .execute();
    await database.db
      .insertInto('collection_items')
      .values([
        { uid: 1, biz: 'article', biz_id: 11, cid: 1, ctime: 1 },
        { uid: 2, biz: 'article', biz_id: 10, cid: 2, ctime: 1 },
      ])
      .execute();
  });
  afterAll(async () => drop());

  const pairs = [
    { uid: 1, bizId: 10 },
    { uid: 1, bizId: 11 },
    { uid: 2, bizId: 10 },
    { uid: 3, bizId: 10 },
    { uid: 2, bizId: 11 },
    { uid: 1, bizId: 10 }, // asked twice
  ];

  it('when one pair is looked up (the compiled query), then liked and collected are its own, of its biz only', async () => {
    expect(await dao.flags(1, Biz.article, 10)).toEqual({ liked: true, collected: false });
    expect(await dao.flags(1, Biz.article, 11)).toEqual({ liked: false, collected: true });
    expect(await dao.flags(1, Biz.article, 12)).toEqual({ liked: false, collected: false });
    expect(await dao.flags(3, Biz.comment, 10)).toEqual({ liked: true, collected: false });
    expect(await dao.flags(3, Biz.article, 10)).toEqual({ liked: false, collected: false });
  });

  it('when many pairs are asked at once, then each gets what its own lookup reads', async () => {
    const together = await dao.flagsMany(Biz.article, pairs);
    for (const p of pairs) expect(together.get(flagsKey(p.uid, p.bizId)), `${p.uid}:${p.bizId}`).toEqual(await dao.flags(p.uid, Biz.article, p.bizId));
    expect(together.get(flagsKey(2, 10))).toEqual({ liked: true, collected: true });
    expect(together.get(flagsKey(3, 10))).toEqual({ liked: false, collected: false }); // its like is of a comment
    expect((await dao.flagsMany(Biz.comment, [{ uid: 3, bizId: 10 }, { uid: 1, bizId: 10 }])).get(flagsKey(3, 10))).toEqual({ liked: true, collected: false });
    expect(await dao.flagsMany(Biz.article, [])).toEqual(new Map());
  });

  it('when lookups come in the same turn of the event loop, then one query per biz answers all of them', async () => {
    const many = vi.spyOn(dao, 'flagsMany');
    const load = flagsLoader(dao);
    const lookups = [...pairs.map((p) => ({ biz: Biz.article, ...p })), { biz: Biz.comment, uid: 3, bizId: 10 }];
    const answers = await Promise.all(lookups.map((l) => load(l)));
    expect(many).toHaveBeenCalledTimes(2);
    for (const [i, l] of lookups.entries()) expect(answers[i], `${l.biz} ${l.uid}:${l.bizId}`).toEqual(await dao.flags(l.uid, l.biz, l.bizId));
    // Each answer is the caller's own object.
    expect(answers[0]).not.toBe(answers[5]);

    many.mockClear();
    expect(await load({ biz: Biz.article, uid: 1, bizId: 11 })).toEqual({ liked: false, collected: true });
    expect(many).toHaveBeenCalledTimes(1);
    many.mockRestore();
  });

  it('when the query fails, then every lookup of its batch fails with it, and the next batch is read afresh', async () => {
    const load = flagsLoader(dao);
    const many = vi.spyOn(dao, 'flagsMany').mockRejectedValueOnce(new Error('connection lost'));
    const failed = await Promise.allSettled(pairs.slice(0, 3).map((p) => load({ biz: Biz.article, ...p })));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await load({ biz: Biz.article, uid: 2, bizId: 10 })).toEqual({ liked: true, collected: true });
    many.mockRestore();
  });

  it("when a reader's marks are read, then they hold the biz's liked and collected ids, or null beyond the limit", async () => {
    expect(await dao.readerMarks(1, Biz.article, 5)).toEqual({ liked: [10], collected: [11] });
    expect(await dao.readerMarks(2, Biz.article, 5)).toEqual({ liked: [10], collected: [10] });
    expect(await dao.readerMarks(3, Biz.article, 5)).toEqual({ liked: [], collected: [] }); // its like is of a comment
    expect(await dao.readerMarks(3, Biz.comment, 5)).toEqual({ liked: [10], collected: [] });
    expect(await dao.readerMarks(9, Biz.article, 5)).toEqual({ liked: [], collected: [] });
    await database.db.insertInto('user_likes').values([12, 13].map((id) => ({ uid: 1, biz: 'article', biz_id: id, ctime: 1 }))).execute();
    expect((await dao.readerMarks(1, Biz.article, 3))?.liked.sort((a, b) => a - b)).toEqual([10, 12, 13]); // exactly the limit
    expect(await dao.readerMarks(1, Biz.article, 2)).toBeNull();
    expect(await dao.readerMarks(1, Biz.article, 0)).toBeNull(); // collected alone is over
    await database.db.deleteFrom('user_likes').where('uid', '=', 1).where('biz_id', 'in', [12, 13]).execute();
  });
});
