import { loadConfig } from '../config/config.js';
import { buildContainer } from '../ioc/container.js';

/**
 * `npm run migrate`: the explicit schema step production requires before a deploy.
 * Safe to run from several machines at once (the migrator takes a lock).
 */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const container = buildContainer(config);
  try {
    const pending = await container.pendingMigrations();
    console.log(`${container.backends.database.dialect}: ${pending.length} pending migration(s)`);
    pending.forEach((name, i) => console.log(`  [${i + 1}/${pending.length}] ${name}`));
    const applied = await container.migrate();
    console.log(applied.length > 0 ? `applied ${applied.length}: ${applied.join(', ')}` : 'schema is up to date');
  } finally {
    await container.close();
  }
}

migrate().catch((err: unknown) => {
  console.error('migration failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
