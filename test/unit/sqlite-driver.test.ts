import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { immediateTransactions, openSqliteConnection, withStatementCache, type SqliteHandle } from '../../src/pkg/db/sqlite-driver.js';

/** A real in-memory connection that counts what it compiles. */
function countingConnection() {
  const inner = openSqliteConnection(':memory:');
  const prepared: string[] = [];
  const handle: SqliteHandle = {
    exec: (text) => inner.exec(text),
    close: () => inner.close(),
    prepare(text) {
      prepared.push(text);
      return inner.prepare(text);
    },
  };
  return { handle, prepared };
}

interface Db {
  notes: { id: number; body: string };
}

describe('the SQLite statement cache', () => {
  const open: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const h of open.splice(0)) h.close();
  });

  function setUp(limits?: { max: number; maxChars: number; maxStatementChars: number }) {
    const { handle, prepared } = countingConnection();
    const cached = withStatementCache(handle, limits);
    open.push(cached);
    cached.exec('create table notes (id integer primary key, body text not null unique)');
    return { cached, prepared, db: new Kysely<Db>({ dialect: new SqliteDialect({ database: cached }) }) };
  }

  it('compiles a query once and runs it again with other parameters, each run answering for its own', async () => {
    const { db, prepared } = setUp();
    for (let id = 1; id <= 50; id++) await db.insertInto('notes').values({ id, body: `note ${id}` }).execute();
    for (let id = 1; id <= 50; id++) {
      const row = await db.selectFrom('notes').select(['id', 'body']).where('id', '=', id).executeTakeFirst();
      expect(row).toEqual({ id, body: `note ${id}` });
    }
    expect(await db.selectFrom('notes').select('id').where('id', '=', 99).executeTakeFirst()).toBeUndefined();
    expect(prepared).toHaveLength(3); // the insert, the select of both columns, the select of the id
  });

  it('reuses a statement that failed: a constraint error leaves it ready for the next run', async () => {
    const { db, prepared } = setUp();
    await db.insertInto('notes').values({ id: 1, body: 'a' }).execute();
    await expect(db.insertInto('notes').values({ id: 2, body: 'a' }).execute()).rejects.toThrow(/UNIQUE/);
    await db.insertInto('notes').values({ id: 3, body: 'b' }).execute();
    expect((await db.selectFrom('notes').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([1, 3]);
    expect(prepared.filter((s) => s.startsWith('insert'))).toHaveLength(1);
  });

  it('gives a stream a statement of its own, so the shared one can run while the stream is open', () => {
    const { cached } = setUp();
    cached.exec("insert into notes (id, body) values (1, 'a'), (2, 'b'), (3, 'c')");
    const text = 'select id from notes where id >= ? order by id';
    const stream = cached.prepare(text).iterate([1]);
    expect(stream.next().value).toEqual({ id: 1 });
    expect(cached.prepare(text).all([2])).toEqual([{ id: 2 }, { id: 3 }]);
    expect([...stream]).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('keeps at most max statements and maxChars of SQL, the least recently used going first, and no statement over maxStatementChars', () => {
    const { cached, prepared } = setUp({ max: 2, maxChars: 1_000, maxStatementChars: 200 });
    const q = (n: number) => `select ${n} as n`;
    for (const n of [1, 2, 1, 3, 1, 2]) expect(cached.prepare(q(n)).all([])).toEqual([{ n }]);
    // 1 and 2 compiled; 1 kept warm; 3 pushes out 2; 2 compiled again.
    expect(prepared.filter((s) => s.startsWith('select'))).toEqual([q(1), q(2), q(3), q(2)]);
    const long = `select '${'x'.repeat(300)}' as x`;
    cached.prepare(long).all([]);
    cached.prepare(long).all([]);
    expect(prepared.filter((s) => s === long)).toHaveLength(2);

    const { cached: small, prepared: compiled } = setUp({ max: 100, maxChars: 100, maxStatementChars: 100 });
    const wide = (n: number) => `select ${n} as n, '${'y'.repeat(20)}' as y`; // 43 characters: two fit in 100, three do not
    expect(wide(10)).toHaveLength(43);
    for (const n of [10, 11, 10, 11, 12, 10]) small.prepare(wide(n)).all([]);
    // 10 and 11 kept together; 12 pushes out 10, the least recently used.
    expect(compiled.filter((s) => s.startsWith('select'))).toEqual([wide(10), wide(11), wide(12), wide(10)]);
  });

  it('serves a transaction and its rollback through shared statements', async () => {
    const { db } = setUp();
    await db
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto('notes').values({ id: 1, body: 'kept?' }).execute();
        throw new Error('undo');
      })
      .catch(() => undefined);
    await db.transaction().execute((tx) => tx.insertInto('notes').values({ id: 2, body: 'kept' }).execute());
    expect(await sql<{ id: number }>`select id from notes`.execute(db).then((r) => r.rows)).toEqual([{ id: 2 }]);
  });
});

describe('SQLite transactions with two writers on one file', () => {
  const dirs: string[] = [];
  const open: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const h of open.splice(0)) h.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** Two connections to one WAL file, the second never waiting for a lock (busy_timeout 0). */
  function twoConnections(wrap: (h: SqliteHandle) => SqliteHandle) {
    const dir = mkdtempSync(path.join(tmpdir(), 'webook-sqlite-'));
    dirs.push(dir);
    const [first, second] = [0, 1].map(() => {
      const handle = wrap(openSqliteConnection(path.join(dir, 'two.db')));
      open.push(handle);
      handle.exec('pragma journal_mode = WAL; pragma busy_timeout = 0;');
      return handle;
    });
    first!.exec('create table if not exists notes (id integer primary key, body text not null)');
    return { first: new Kysely<Db>({ dialect: new SqliteDialect({ database: first! }) }), second: second! };
  }

  /** A transaction that reads, lets the other connection commit a write, then writes itself. */
  const readThenWrite = (db: Kysely<Db>, second: SqliteHandle) =>
    db.transaction().execute(async (tx) => {
      await tx.selectFrom('notes').selectAll().execute();
      try {
        second.exec("insert into notes (body) values ('from the other connection')");
      } catch {
        // refused: the first transaction holds the write lock
      }
      await tx.insertInto('notes').values({ id: 100, body: 'from the transaction' }).execute();
    });

  it('a plain BEGIN fails its first write once the other connection has committed (the hazard)', async () => {
    const { first, second } = twoConnections((h) => h);
    await expect(readThenWrite(first, second)).rejects.toThrow(/SQLITE_BUSY|database is locked/i);
  });

  it('with immediateTransactions the lock is taken at BEGIN: the other writer is refused, and the transaction commits', async () => {
    const { first, second } = twoConnections(immediateTransactions);
    await readThenWrite(first, second);
    expect((await first.selectFrom('notes').select('body').execute()).map((r) => r.body)).toEqual(['from the transaction']);
  });
});
