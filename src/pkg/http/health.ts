import type { FastifyInstance } from 'fastify';

interface Pingable {
  ping(): Promise<void>;
}

const within = (ms: number, p: Promise<void>) =>
  Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/**
 * /healthz: the process is alive (restart me if not). /readyz: the database and the
 * cache answer within a second (send me traffic), 503 naming the failing part otherwise.
 * The event bus is reported but does not decide: without it pages are still served and
 * reads wait in memory (docs/events.md), so taking every instance out of the load
 * balancer would be the worse outage.
 */
export function installHealth(app: FastifyInstance, parts: { database: Pingable; cache: Pingable; bus: Pingable }): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ code: 0, msg: 'ok', data: { status: 'up' } }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks = await Promise.allSettled([parts.database, parts.cache, parts.bus].map((part) => within(1000, part.ping())));
    const [database, cache, bus] = checks.map((c) => (c.status === 'fulfilled' ? 'up' : 'down'));
    const ready = database === 'up' && cache === 'up';
    return reply.status(ready ? 200 : 503).send({
      code: ready ? 0 : 500002,
      msg: ready ? 'ok' : 'not ready',
      data: { database, cache, bus },
    });
  });
}
