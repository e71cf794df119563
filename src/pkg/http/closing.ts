import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { CommonCodes } from '../errors/codes.js';

/** How long a close waits for handlers still running (see below) before it goes on without them. */
export const HANDLERS_GRACE_MS = 10_000;

const counted = new WeakSet<FastifyRequest>();

/**
 * While the server closes (app.close(): a SIGTERM, a deploy), a request that still arrives
 * on an open keep-alive connection is refused with a 503 in the envelope, code 500003, and
 * `Connection: close`, so the client or load balancer retries on another instance. Fastify
 * would answer these itself (`return503OnClosing`, turned off in app.ts) in a body of its
 * own, unlogged and uncounted. Installed before the other request hooks: a refused request
 * costs no rate-limit quota and no session check.
 *
 * The close also waits (up to HANDLERS_GRACE_MS) for the handlers of accepted requests to
 * finish. The server's own close only waits for connections, and a client that hung up
 * leaves no connection behind while its handler still runs: without this wait, such a
 * handler would go on after the container closed the bus and the database under it (a
 * page's read recorded after the last flush was lost). A handler is finished when its
 * reply is sent (onSend, which error replies pass too) or its response is done.
 */
export function installClosingRefusal(app: FastifyInstance, graceMs = HANDLERS_GRACE_MS): void {
  let closing = false;
  let running = 0;
  let allFinished: (() => void) | undefined;
  const finished = (request: FastifyRequest) => {
    if (!counted.delete(request)) return;
    if (--running === 0) allFinished?.();
  };
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (!closing) {
      counted.add(request);
      running++;
      return done();
    }
    reply.header('connection', 'close');
    done(new AppError(CommonCodes.shuttingDown));
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    finished(request);
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    finished(request);
    done();
  });
  app.addHook('onClose', async () => {
    if (running === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      allFinished = resolve;
      timer = setTimeout(() => {
        app.log.warn({ severity: 'P2', running }, `closing without ${running} request handler(s) still running after ${graceMs} ms`);
        resolve();
      }, graceMs);
    });
    clearTimeout(timer);
  });
}
