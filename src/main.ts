import { buildApp } from './app.js';
import { ConfigError } from './config/env.js';
import { loadConfig } from './config/config.js';
import { buildContainer } from './ioc/container.js';
import { setHeapGrowth } from './pkg/runtime/heap-growth.js';

/** The process shell: config -> container -> app -> listen, and a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  setHeapGrowth(config.runtime.heapGrowthPercent);
  const container = buildContainer(config);
  const { logger } = container;

  if (config.db.migrateOnStart) {
    const applied = await container.migrate();
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  } else {
    const pending = await container.pendingMigrations();
    if (pending.length > 0) {
      logger.fatal({ severity: 'P0', pending }, 'database schema is behind: run `npm run migrate` first');
      await container.close();
      process.exit(1);
    }
  }

  await container.start();
  const app = await buildApp(container);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close(); // stops accepting, lets in-flight requests finish
    await container.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.http.host, port: config.http.port });
  logger.info(
    {
      mode: config.mode,
      db: container.backends.database.dialect,
      cache: config.cache.url === 'memory' ? 'memory' : 'redis',
      bus: config.bus.url === 'memory' ? 'in-process' : 'nats',
    },
    `webook listening on http://${config.http.host}:${config.http.port} (API docs at /docs)`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('webook failed to start:', err);
  }
  process.exit(1);
});
