import { Migrator, type Kysely, type Migration, type MigrationResult } from 'kysely';
import type { Dialect } from './dialect.js';

export type MigrationList = (dialect: Dialect) => Record<string, Migration>;

/** Runs the explicitly listed migrations (never a folder scan), in name order. */
export function createMigrator(db: Kysely<unknown>, dialect: Dialect, list: MigrationList): Migrator {
  const migrations = list(dialect);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/** Migrates to the latest version; throws with the failing migration's name and cause. */
export async function migrateToLatest(migrator: Migrator): Promise<MigrationResult[]> {
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((error as Error).message ?? error)}`, {
      cause: error,
    });
  }
  return results ?? [];
}

/** Names of migrations not yet applied: production refuses to start while any remain. */
export async function pendingMigrations(migrator: Migrator): Promise<string[]> {
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
