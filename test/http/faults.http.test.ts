import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { buildContainer } from '../../src/ioc/container.js';
import { createLogger } from '../../src/pkg/logger/logger.js';
import { authed, bodyOf, signup } from '../support/app.js';

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

describe('when the event bus (NATS) is unreachable', () => {
  it('then start-up fails loudly, but a running instance still serves pages and likes, and /readyz stays ready', async () => {
    const port = await deadPort();
    const config = loadConfig({
      WEBOOK_MODE: 'production',
      WEBOOK_DB: 'sqlite::memory:',
      WEBOOK_BUS: `nats://127.0.0.1:${port}`,
      WEBOOK_JWT_ACCESS_SECRET: 'x'.repeat(40),
      WEBOOK_JWT_REFRESH_SECRET: 'y'.repeat(40),
      WEBOOK_ARGON2_MEMORY_KIB: '1024',
      WEBOOK_ARGON2_TIME_COST: '1',
      WEBOOK_READ_FLUSH_MS: '10',
      LOG_LEVEL: 'silent',
    });
    const container = buildContainer(config, { logger: createLogger('silent') });
    await container.migrate();
    await expect(container.start()).rejects.toThrow();
    const app = await buildApp(container);
    try {
      const { access } = await signup(app, 'nobus@example.com');
      const published = await app.inject({ method: 'POST', url: '/articles/publish', headers: authed(access), payload: { title: 't', content: 'c' } });
      const id = bodyOf(published).data.id;
      for (let i = 0; i < 3; i++) expect((await app.inject({ url: `/articles/pub/${id}` })).statusCode).toBe(200);
      const like = await app.inject({ method: 'POST', url: '/articles/pub/like', headers: authed(access), payload: { id, like: true } });
      expect(like.statusCode).toBe(200);
      expect(bodyOf(await app.inject({ url: `/articles/pub/${id}` })).data.likeCnt).toBe(1);

      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ data: { database: 'up', cache: 'up', bus: 'down' } });
    } finally {
      await app.close();
      await container.close();
    }
  });
});
