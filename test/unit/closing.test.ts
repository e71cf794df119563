import Fastify from 'fastify';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { installClosingRefusal } from '../../src/pkg/http/closing.js';
import { installErrorHandler } from '../../src/pkg/http/error-handler.js';
import { createMetrics } from '../../src/pkg/http/metrics.js';

/**
 * An app whose /slow handler waits until the test lets it go, then notes that it finished
 * (as the article page records a read after its awaits).
 */
async function appWithSlowHandler(graceMs?: number) {
  const events: string[] = [];
  const warnings: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const handlerStarted = new Promise<void>((resolve) => (started = resolve));
  const app = Fastify({ logger: false });
  app.log.warn = ((obj: unknown, msg?: string) => void warnings.push(msg ?? String(obj))) as typeof app.log.warn;
  installErrorHandler(app, createMetrics().errorsTotal);
  installClosingRefusal(app, graceMs);
  app.get('/slow', async () => {
    started();
    await released;
    events.push('handler finished');
    return { ok: true };
  });
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, events, warnings, release, handlerStarted, port: (app.server.address() as AddressInfo).port };
}

/** Sends a GET and hangs up before any answer. */
async function requestAndHangUp(port: number, path: string): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  return new Promise((resolve) => setTimeout(() => (socket.destroy(), resolve()), 20));
}

describe('closing the server while handlers of departed clients still run', () => {
  it('when a client hung up while its handler waits, then the close waits for that handler before it resolves', async () => {
    const { app, events, release, handlerStarted, port } = await appWithSlowHandler();
    await requestAndHangUp(port, '/slow');
    await handlerStarted;
    const closed = app.close().then(() => events.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual([]); // no connection is left, yet the close waits
    release();
    await closed;
    expect(events).toEqual(['handler finished', 'closed']);
  });

  it('when a handler never finishes, then the close goes on after the grace period and says how many it left', async () => {
    const { app, events, warnings, handlerStarted, port } = await appWithSlowHandler(150);
    await requestAndHangUp(port, '/slow');
    await handlerStarted;
    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(events).toEqual([]);
    expect(warnings).toEqual(['closing without 1 request handler(s) still running after 150 ms']);
  });

  it('when requests were answered, failed or refused, then nothing is left to wait for', async () => {
    const { app, warnings, release, port } = await appWithSlowHandler(5_000);
    release();
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/slow`)).status).toBe(200);
    expect((await fetch(`${base}/fail`)).status).toBe(500);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(warnings).toEqual([]);
  });
});
