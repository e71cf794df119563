import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The one file that knows the three databases apart. Everything else writes portable
 * Kysely; when a difference is unavoidable it becomes a small function here, tested on
 * every dialect by the dao matrix.
 */
export type Dialect = 'sqlite' | 'mysql' | 'postgres';

/** True when err is the driver's report of a UNIQUE constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errno?: unknown; errcode?: unknown };
  return (
    e.code === '23505' || // postgres unique_violation
    e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || // mysql / mariadb
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || // better-sqlite3
    e.errcode === 2067 || e.errcode === 1555 // node:sqlite: the same two extended result codes
  );
}

/** A BIGINT auto-increment primary key on every dialect (SQLite only auto-increments INTEGER). */
export function addIdColumn<T extends string>(dialect: Dialect, table: CreateTableBuilder<T, never>, name = 'id') {
  switch (dialect) {
    case 'sqlite':
      return table.addColumn(name, 'integer', (c) => c.primaryKey().autoIncrement());
    case 'mysql':
      return table.addColumn(name, 'bigint', (c) => c.primaryKey().autoIncrement());
    case 'postgres':
      return table.addColumn(name, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());
  }
}

/** MySQL tables are InnoDB utf8mb4 whatever the server's defaults; the others need nothing. */
export function withTableOptions<T extends string, C extends string>(
  dialect: Dialect,
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C> {
  return dialect === 'mysql'
    ? table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`)
    : table;
}

export type ColumnBuilder = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/**
 * INSERT ... and the new row's id: RETURNING on postgres and sqlite, insertId on mysql.
 */
export async function insertReturningId<DB, TB extends keyof DB & string>(
  db: Kysely<DB>,
  dialect: Dialect,
  table: TB,
  values: Record<string, unknown>,
): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const insert = (db as Kysely<any>).insertInto(table).values(values);
  if (dialect === 'mysql') {
    const result = await insert.executeTakeFirstOrThrow();
    return Number(result.insertId);
  }
  const row = await insert.returning('id').executeTakeFirstOrThrow();
  return Number((row as { id: number | string }).id);
}

/** Article bodies: TEXT everywhere, but MySQL's TEXT stops at 64 KiB, so MEDIUMTEXT (16 MiB) there. */
export const longTextType = (dialect: Dialect) => (dialect === 'mysql' ? sql`mediumtext` : 'text');

/**
 * The value an upsert tried to insert, for use in its update part:
 * `excluded.col` on postgres and sqlite, `values(col)` on mysql (which MariaDB and
 * MySQL 8 both still accept).
 */
export const inserted = (dialect: Dialect, column: string) =>
  dialect === 'mysql' ? sql`values(${sql.ref(column)})` : sql`excluded.${sql.ref(column)}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyInsert = any;

/** INSERT ... ON CONFLICT (keys) DO UPDATE SET ... | ON DUPLICATE KEY UPDATE ... */
export const onConflictUpdate = (dialect: Dialect, keys: string[], set: Record<string, unknown>) => (insert: AnyInsert) =>
  dialect === 'mysql' ? insert.onDuplicateKeyUpdate(set) : insert.onConflict((oc: AnyInsert) => oc.columns(keys).doUpdateSet(set));

/** INSERT ... ON CONFLICT DO NOTHING | INSERT IGNORE: the insert's row count tells whether it was new. */
export const onConflictIgnore = (dialect: Dialect, keys: string[]) => (insert: AnyInsert) =>
  dialect === 'mysql' ? insert.ignore() : insert.onConflict((oc: AnyInsert) => oc.columns(keys).doNothing());

/**
 * True when the database gave up a transaction that may simply be run again: a deadlock
 * (MySQL 1213, postgres 40P01), a lock wait timeout (MySQL 1205) or a serialization
 * failure (postgres 40001). SQLite serialises writers and never reports these.
 */
export function isRetryableTxError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errno?: unknown };
  return e.errno === 1213 || e.errno === 1205 || e.code === '40P01' || e.code === '40001';
}

/**
 * A multi-row INSERT and the new rows' ids, in row order: RETURNING on postgres and
 * sqlite; on mysql the first id plus the row index, which holds for one statement under
 * InnoDB's default "consecutive" auto-increment lock mode (MariaDB's default) with a
 * single writer, as in seeding. Not for concurrent use on mysql.
 */
export async function insertManyReturningIds<DB, TB extends keyof DB & string>(
  db: Kysely<DB>,
  dialect: Dialect,
  table: TB,
  rows: Record<string, unknown>[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const insert = (db as Kysely<any>).insertInto(table).values(rows);
  if (dialect === 'mysql') {
    const first = Number((await insert.executeTakeFirstOrThrow()).insertId);
    return rows.map((_, i) => first + i);
  }
  const returned = (await insert.returning('id').execute()) as { id: number | string }[];
  return returned.map((r) => Number(r.id));
}
