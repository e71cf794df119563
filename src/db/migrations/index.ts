import type { MigrationList } from '../../pkg/db/migrator.js';
import { users } from './0001_users.js';
import { articles } from './0002_articles.js';
import { interactive } from './0003_interactive.js';

/** Every migration, in order. Never edit one that has shipped: add the next. */
export const migrations: MigrationList = (dialect) => ({
  '0001_users': users(dialect),
  '0002_articles': articles(dialect),
  '0003_interactive': interactive(dialect),
});
