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
