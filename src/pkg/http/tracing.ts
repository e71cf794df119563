import type { FastifyInstance } from 'fastify';
import { runWithTrace } from '../trace/trace.js';

export const TRACE_HEADER = 'x-request-id';

/**
 * A trace id on every request: the request id, which the app takes from the caller's
 * x-request-id when it is tame, else a new one. It is echoed in the response header,
 * and every log line written while the request runs carries it (the logger's mixin
 * reads it from async context).
 */
export function installTracing(app: FastifyInstance): void {
  // Checked once: building the access-log object for a level that drops it costs on every request.
  const infoEnabled = ['trace', 'debug', 'info'].includes(app.log.level);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(TRACE_HEADER, request.id);
    runWithTrace(request.id, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (infoEnabled) {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          route: request.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          ip: request.ip,
        },
        'request',
      );
    }
    done();
  });
}
