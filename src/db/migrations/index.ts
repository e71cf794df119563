import type { MigrationList } from '../../pkg/db/migrator.js';
import { users } from './0001_users.js';

/** Every migration, in order. Never edit one that has shipped: add the next. */
export const migrations: MigrationList = (dialect) => ({
  '0001_users': users(dialect),
});
