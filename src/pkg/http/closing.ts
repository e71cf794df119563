import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { CommonCodes } from '../errors/codes.js';

/**
 * While the server closes (app.close(): a SIGTERM, a deploy), a request that still arrives
 * on an open keep-alive connection is refused with a 503 in the envelope, code 500003, and
 * `Connection: close`, so the client or load balancer retries on another instance. Fastify
 * would answer these itself (`return503OnClosing`, turned off in app.ts) in a body of its
 * own, unlogged and uncounted. Installed before the other request hooks: a refused request
 * costs no rate-limit quota and no session check.
 */
export function installClosingRefusal(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    done(new AppError(CommonCodes.shuttingDown));
  });
}
