import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import type { Dialect } from './dialect.js';
import { openSqliteDriver } from './sqlite-driver.js';

/** A Kysely handle plus the one fact the dialect file needs: which database it talks to. */
export interface Database<DB> {
  db: Kysely<DB>;
  dialect: Dialect;
  /** A cheap round trip, for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) return 'mysql';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`unsupported database url scheme: ${url.split(':')[0]}`);
}

/** Whether url names a SQLite database in memory, which no second connection can see. */
export const isInMemorySqlite = (url: string) => url === 'sqlite::memory:';

/** Opens a database from `sqlite:<file>|sqlite::memory:`, `mysql://...` or `postgres://...`. */
export function openDatabase<DB>(url: string, opts: { pool?: number; onIdleError?: (err: Error) => void } = {}): Database<DB> {
  const dialect = dialectOf(url);
  const pool = opts.pool ?? 10;
  let db: Kysely<DB>;
  switch (dialect) {
    case 'sqlite':
      db = new Kysely<DB>({ dialect: new SqliteDialect({ database: openSqlite(url.slice('sqlite:'.length)) }) });
      break;
    case 'mysql':
      db = new Kysely<DB>({
        dialect: new MysqlDialect({
          pool: createMysqlPool({
            uri: url.replace(/^mariadb:/, 'mysql:'),
            connectionLimit: pool,
            charset: 'utf8mb4',
            supportBigNumbers: true, // BIGINT as number while it fits, never a lossy double
            dateStrings: true,
          }),
        }),
      });
      break;
    case 'postgres': {
      const pgPool = new pg.Pool({ connectionString: url, max: pool, types: { getTypeParser: pgTypeParser } });
      // An idle connection killed by the server (restart, failover) must not crash the
      // process; the pool drops it and the next query opens a new one.
      pgPool.on('error', (err) => opts.onIdleError?.(err));
      db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pgPool }) });
      break;
    }
  }
  return {
    db,
    dialect,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function openSqlite(file: string) {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const handle = openSqliteDriver(file);
  handle.exec(
    'pragma journal_mode = WAL;' + // readers never wait for the writer
      'pragma synchronous = NORMAL;' + // durable at checkpoints, safe with WAL
      'pragma busy_timeout = 5000;' + // a second process (migrate, seed) waits instead of failing
      'pragma foreign_keys = ON;',
  );
  return handle;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** pg returns int8 and numeric as strings; our ids and epoch-ms times fit a JS number. */
function pgTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (pg.types.getTypeParser as any)(oid, format ?? 'text');
}
