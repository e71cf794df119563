import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { buildContainer } from '../../src/ioc/container.js';
import { createLogger } from '../../src/pkg/logger/logger.js';

/** A loopback port with nothing listening on it. */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('when Redis is unreachable', () => {
  it('then requests fail fast with a 503 envelope, /readyz names the cache, and nothing leaks', async () => {
    const port = await deadPort();
    const config = loadConfig({
      WEBOOK_MODE: 'production',
      WEBOOK_DB: 'sqlite::memory:',
      WEBOOK_CACHE: `redis://127.0.0.1:${port}`,
      WEBOOK_JWT_ACCESS_SECRET: 'x'.repeat(40),
      WEBOOK_JWT_REFRESH_SECRET: 'y'.repeat(40),
      LOG_LEVEL: 'silent',
    });
    const container = buildContainer(config, { logger: createLogger('silent') });
    await container.migrate();
    const app = await buildApp(container);
    try {
      const started = Date.now();
      const res = await app.inject({ url: '/users/profile', headers: { authorization: 'Bearer abc' } });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ code: 500002, msg: 'service temporarily unavailable', data: null });
      expect(res.headers['retry-after']).toBeDefined();

      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ data: { database: 'up', cache: 'down' } });
      expect((await app.inject('/healthz')).statusCode).toBe(200); // alive, just not ready
    } finally {
      await app.close();
      await container.close();
    }
  });
});
