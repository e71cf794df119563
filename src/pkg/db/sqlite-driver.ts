import { createRequire } from 'node:module';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The SQLite driver under Kysely. Node 22+ ships `node:sqlite`, which needs no native
 * addon; Node 20 has none, so there we load better-sqlite3. (better-sqlite3 12, the last
 * line that builds on Node 20, aborts on Node >= 24.19 when its statements are collected,
 * so it must not be loaded there.) Both are synchronous and behave the same for Kysely.
 */
export function openSqliteDriver(file: string): SqliteDatabase & { exec(sql: string): void } {
  const builtin = process.getBuiltinModule?.('node:sqlite') as { DatabaseSync: new (file: string) => NodeDatabase } | undefined;
  if (builtin) return nodeSqlite(new builtin.DatabaseSync(file));
  const BetterSqlite = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  return new BetterSqlite(file);
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
function nodeSqlite(db: NodeDatabase): SqliteDatabase & { exec(sql: string): void } {
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
