import type { FastifyInstance } from 'fastify';

export const TRACE_HEADER = 'x-request-id';

/**
 * A trace id on every request (the request id: the caller's x-request-id when tame, else
 * new), echoed in the response header and bound into every line of request.log.
 */
export function installTracing(app: FastifyInstance): void {
  // Checked once: an access line at a level that drops it would cost on every request.
  const infoEnabled = ['trace', 'debug', 'info'].includes(app.log.level);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(TRACE_HEADER, request.id);
    done();
  });
  if (!infoEnabled) return; // no access lines (production's warn): no hook to run on every response
  app.addHook('onResponse', (request, reply, done) => {
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
    done();
  });
}
