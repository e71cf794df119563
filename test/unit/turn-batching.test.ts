import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installTurnBatching } from '../../src/pkg/http/turn-batching.js';

/** An app whose route notes when a setImmediate it scheduled runs, and when the response left. */
async function recordingApp() {
  const order: string[] = [];
  const app = Fastify({ logger: false });
  installTurnBatching(app);
  app.addHook('onResponse', (request, _reply, done) => {
    order.push(`sent ${request.url}`);
    done();
  });
  app.get('/a', async () => {
    setImmediate(() => order.push('check phase'));
    return { a: 1 };
  });
  app.get('/b', async () => ({ b: 2 }));
  app.get('/stream', async (_request, reply) => reply.type('text/plain').send('plain text'));
  await app.ready();
  return { app, order };
}

describe('turn batching (requests and responses handled after the poll phase)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when a handler returns, then its response is written in the check phase, not in the middle of the turn', async () => {
    const { app, order } = await recordingApp();
    const res = await app.inject('/a');
    expect(res.json()).toEqual({ a: 1 });
    // Without batching the response would be sent before the handler's own setImmediate ran.
    expect(order).toEqual(['check phase', 'sent /a']);
    await app.close();
  });

  it('when requests finish in one turn, then every one of them is answered, each with its own body', async () => {
    const { app } = await recordingApp();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => app.inject(i % 2 ? '/a' : '/b')));
    expect(replies.map((r) => r.json())).toEqual(Array.from({ length: 50 }, (_, i) => (i % 2 ? { a: 1 } : { b: 2 })));
    expect(replies.every((r) => r.headers['content-length'] === String(r.body.length))).toBe(true);
    await app.close();
  });

  it('when requests arrive in one turn, then they go on together: every one is read before any is handled', async () => {
    const order: string[] = [];
    const app = Fastify({ logger: false });
    app.addHook('onRequest', (request, _reply, done) => {
      order.push(`read ${request.url}`);
      done();
    });
    installTurnBatching(app);
    app.addHook('onRequest', (request, _reply, done) => {
      order.push(`handled ${request.url}`);
      done();
    });
    app.get('/:n', async () => ({}));
    await app.ready();
    await Promise.all(['/1', '/2', '/3'].map((url) => app.inject(url)));
    expect(order).toEqual(['read /1', 'read /2', 'read /3', 'handled /1', 'handled /2', 'handled /3']);
    await app.close();
  });

  it('when a request waits for its turn and then fails, then it is answered with an error and the others are not held back', async () => {
    const app = Fastify({ logger: false });
    installTurnBatching(app);
    app.get('/fail', async () => {
      throw new Error('boom');
    });
    app.get('/ok', async () => ({ ok: true }));
    await app.ready();
    const [fail, ok] = await Promise.all([app.inject('/fail'), app.inject('/ok')]);
    expect(fail.statusCode).toBe(500);
    expect(ok.json()).toEqual({ ok: true });
    await app.close();
  });

  it("when a test's fake timers hold setImmediate, then responses still go out", async () => {
    const { app } = await recordingApp();
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout'] });
    const res = await app.inject('/stream');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('plain text');
    await app.close();
  });
});
