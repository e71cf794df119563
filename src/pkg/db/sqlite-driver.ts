import { createRequire } from 'node:module';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { LRUCache } from 'lru-cache';

/** The handle Kysely's SqliteDialect runs on, plus exec for the connection's pragmas. */
export type SqliteHandle = SqliteDatabase & { exec(sql: string): void };

/**
 * The SQLite driver under Kysely. Node 22+ ships `node:sqlite`, which needs no native
 * addon; Node 20 has none, so there we load better-sqlite3. (better-sqlite3 12, the last
 * line that builds on Node 20, aborts on Node >= 24.19 when its statements are collected,
 * so it must not be loaded there.) Both are synchronous and behave the same for Kysely.
 */
export function openSqliteDriver(file: string): SqliteHandle {
  return withStatementCache(immediateTransactions(openSqliteConnection(file)));
}

/**
 * Kysely opens a SQLite transaction with a plain BEGIN, which takes the write lock only at
 * the first write. With a second writer on the file (the read counter's thread,
 * ReadCountThread) a transaction that read first and then writes after the other committed
 * fails at once with SQLITE_BUSY_SNAPSHOT, busy_timeout or not. BEGIN IMMEDIATE takes the
 * lock up front, waiting for it through busy_timeout, so transactions queue instead.
 */
export function immediateTransactions(db: SqliteHandle): SqliteHandle {
  return {
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    prepare: (sql) => db.prepare(sql === 'begin' ? 'begin immediate' : sql),
  };
}

/** The connection alone, preparing every statement it is given. */
export function openSqliteConnection(file: string): SqliteHandle {
  const builtin = process.getBuiltinModule?.('node:sqlite') as { DatabaseSync: new (file: string) => NodeDatabase } | undefined;
  if (builtin) return nodeSqlite(new builtin.DatabaseSync(file));
  const BetterSqlite = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  return new BetterSqlite(file);
}

export interface StatementCacheLimits {
  /** Statements kept at most. */
  max: number;
  /** Characters of SQL kept at most, all statements together. */
  maxChars: number;
  /** A longer statement is not kept. */
  maxStatementChars: number;
}

/**
 * A compiled statement takes about 40 bytes of memory per character of its SQL (measured
 * on multi-row INSERTs), so the cache holds at most ~16 MB. Bulk statements (the read
 * counter's 1,000-row INSERT is ~15,000 characters) change shape with their row count and
 * spread their compile over many rows, so they are not kept.
 */
const STATEMENT_CACHE: StatementCacheLimits = { max: 500, maxChars: 400_000, maxStatementChars: 4_000 };

/**
 * Kysely prepares every query it runs, and on SQLite preparing costs more than running:
 * 11-18 µs to compile a one-row SELECT that then runs in 6-12 µs. The statements an app
 * sends are few shapes with changing parameters, so compiled ones are kept by their SQL
 * text and run again. Sharing one is safe because SQLite has a single connection that
 * Kysely lends to one query at a time; a stream, which keeps its statement open while
 * the caller reads, gets a statement of its own.
 */
export function withStatementCache(db: SqliteHandle, limits: StatementCacheLimits = STATEMENT_CACHE): SqliteHandle {
  const cache = new LRUCache<string, SqliteStatement>({
    max: limits.max,
    maxSize: limits.maxChars,
    maxEntrySize: limits.maxStatementChars,
    sizeCalculation: (_stmt, sql) => Math.max(1, sql.length),
  });
  return {
    exec: (sql) => db.exec(sql),
    close() {
      cache.clear();
      db.close();
    },
    prepare(sql) {
      let shared = cache.get(sql);
      if (!shared) {
        const stmt = db.prepare(sql);
        shared = {
          reader: stmt.reader,
          all: (parameters) => stmt.all(parameters),
          run: (parameters) => stmt.run(parameters),
          iterate: (parameters) => db.prepare(sql).iterate(parameters),
        };
        if (sql.length <= limits.maxStatementChars) cache.set(sql, shared);
      }
      return shared;
    },
  };
}

/** The part of node:sqlite we use (its types are not in @types/node 20, our floor). */
interface NodeStatement {
  columns(): unknown[];
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
}

/** node:sqlite's DatabaseSync in the shape Kysely's SqliteDialect expects of better-sqlite3. */
function nodeSqlite(db: NodeDatabase): SqliteHandle {
  return {
    close: () => db.close(),
    exec: (sql: string) => db.exec(sql),
    prepare(sql: string): SqliteStatement {
      const stmt = db.prepare(sql);
      return {
        reader: stmt.columns().length > 0,
        all: (parameters) => stmt.all(...parameters),
        run: (parameters) => stmt.run(...parameters),
        iterate: (parameters) => stmt.iterate(...parameters),
      };
    },
  };
}
