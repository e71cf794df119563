import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import ajvErrors from 'ajv-errors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Container } from './ioc/container.js';
import { ErrorEnvelope } from './pkg/http/envelope.js';
import { lazyChildLoggerFactory } from './pkg/logger/request-logger.js';
import { installClosingRefusal } from './pkg/http/closing.js';
import { installErrorHandler, replyWithError } from './pkg/http/error-handler.js';
import { installHealth } from './pkg/http/health.js';
import { installHttpMetrics } from './pkg/http/metrics.js';
import { installNulGuard } from './pkg/http/nul-guard.js';
import { installApiRateLimit } from './pkg/http/rate-limit.js';
import { installStaticSite } from './pkg/http/static-site.js';
import { TRACE_HEADER, installTracing } from './pkg/http/tracing.js';
import { installTurnBatching } from './pkg/http/turn-batching.js';
import { traceIdFrom } from './pkg/trace/trace.js';
import { ACCESS_HEADER, REFRESH_HEADER, decorateAuth } from './modules/session/session.web.js';

/** The Fastify app over a built container. No listen: tests inject, main.ts listens. */
export async function buildApp(container: Container): Promise<FastifyInstance> {
  const { config, logger, backends, metrics, clock } = container;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // The trace id is the request id, bound into request.log as `traceId`; one access
    // line per request comes from tracing.ts instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'traceId' }),
    // The child is built on the request's first log line, not for every request (request-logger.ts).
    childLoggerFactory: lazyChildLoggerFactory,
    genReqId: (req) => traceIdFrom(req.headers[TRACE_HEADER]),
    // A URL that does not decode, or a path parameter over maxParamLength, fails before
    // routing, where Fastify would answer in its own format: answered like any other error
    // instead (the envelope, a code, a log line, a count).
    frameworkErrors: (err, request, reply) => replyWithError(err, request, reply, metrics.errorsTotal),
    // While closing, requests are refused in the envelope by installClosingRefusal, not in Fastify's own body.
    return503OnClosing: false,
    trustProxy: config.http.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: {
      customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false },
      plugins: [ajvErrors as never],
    },
  });

  installTurnBatching(app);
  installTracing(app);
  installErrorHandler(app, metrics.errorsTotal);
  installClosingRefusal(app);
  installNulGuard(app);
  installHttpMetrics(app, metrics.registry);
  installHealth(app, backends);
  installApiRateLimit(app, backends.apiLimiter, clock, config.rateLimit.api);
  // Before any API route: the UI's fallback learns from them which paths are the API's.
  if (config.http.webDir !== null) await installStaticSite(app, { dir: config.http.webDir });

  // CORS only when some origin may call us (the embedded UI is same-origin): no per-request cost otherwise.
  if (config.http.corsOrigins === true || config.http.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: config.http.corsOrigins,
      // PUT and DELETE for the Conduit API (/api), which front ends on other origins call.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      exposedHeaders: [ACCESS_HEADER, REFRESH_HEADER, TRACE_HEADER],
    });
  }
  app.addSchema(ErrorEnvelope);
  await app.register(swagger, {
    // Shared schemas appear in the document under their $id (e.g. ErrorEnvelope), not def-N.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      info: {
        title: 'Webook API',
        version: '0.1.0',
        description:
          'Every response is `{ code, msg, data }`; code 0 is success. Login endpoints return tokens in the ' +
          '`x-jwt-token` and `x-refresh-token` response headers. Error codes: docs/error-codes.md.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'access token (x-jwt-token)' },
          refreshAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'refresh token (x-refresh-token)' },
          conduitToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Conduit API (/api): `Token <access token>`' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  decorateAuth(app);
  await app.register(container.sessions.routes);
  await app.register(container.users.routes);
  await app.register(container.oauth2.routes);
  await app.register(container.articles.routes);
  await app.register(container.ranking.routes);
  await app.register(container.search.routes);
  await app.register(container.interactive.routes);
  await app.register(container.comments.routes);
  await app.register(container.follows.routes);
  await app.register(container.feed.routes);
  // Conduit's own error shape stays inside this plugin: the rest of the API keeps the envelope.
  await app.register(container.conduit.routes, { prefix: '/api' });
  return app;
}
