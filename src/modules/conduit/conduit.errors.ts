import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { AppError, type Severity } from '../../pkg/errors/app-error.js';
import { CommonCodes } from '../../pkg/errors/codes.js';
import { isConnectivityError } from '../../pkg/errors/connectivity.js';
import { logWithSeverity } from '../../pkg/logger/logger.js';
import { ArticleCodes } from '../article/article.errors.js';
import { CommentCodes } from '../comment/comment.errors.js';
import { FollowCodes } from '../follow/follow.errors.js';
import { SessionCodes } from '../session/session.errors.js';
import { UserCodes } from '../user/user.errors.js';
import { BLANK, ConduitError, TAKEN } from './conduit.domain.js';

/** A response in Conduit's shape, and what the log and the error counter need to know of it. */
interface Outcome {
  status: number;
  errors: Record<string, string[]>;
  code: string;
  severity: Severity;
}

/** Webook errors that mean something specific to a Conduit client: its key and words. */
const CONDUIT_WORDS = new Map<number, Record<string, string[]>>([
  [ArticleCodes.notFound.code, { article: ['not found'] }],
  [CommentCodes.notFound.code, { comment: ['not found'] }],
  [CommentCodes.notYours.code, { comment: ['forbidden'] }],
  [FollowCodes.userNotFound.code, { profile: ['not found'] }],
  [UserCodes.userNotFound.code, { profile: ['not found'] }],
  [UserCodes.wrongCredentials.code, { 'email or password': ['is invalid'] }],
  [UserCodes.emailTaken.code, { email: [TAKEN] }],
  [SessionCodes.missingToken.code, { token: ['is missing'] }],
]);

/** Webook field names the Conduit client knows by another name. */
const FIELD_NAMES: Record<string, string> = { content: 'body', tags: 'tagList', uid: 'username' };

const STATUS_OF_KIND = { invalid: 422, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429, unavailable: 503, internal: 500 };

function fromAppError(err: AppError): Outcome {
  const base = { status: STATUS_OF_KIND[err.kind], code: String(err.code), severity: err.severity };
  const words = CONDUIT_WORDS.get(err.code);
  if (words) return { ...base, errors: words };
  if (err.fields) {
    const errors = Object.fromEntries(Object.entries(err.fields).map(([field, msg]) => [FIELD_NAMES[field] ?? field, [msg]]));
    return { ...base, errors };
  }
  const key = { unauthenticated: 'token', not_found: 'resource', forbidden: 'resource', rate_limited: 'request', unavailable: 'server', internal: 'server' }[err.kind as string] ?? 'body';
  return { ...base, errors: { [key]: [err.kind === 'unauthenticated' ? 'is invalid' : err.message] } };
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Schema violations keyed by the innermost field name (Conduit's keys are `email`, not `user.email`). */
function fromValidation(issues: AjvIssue[], context: string | undefined): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const path = issue.instancePath.split('/').filter(Boolean);
    if (issue.keyword === 'required') path.push(String(issue.params.missingProperty));
    const field = path.at(-1) ?? context ?? 'body';
    const message = issue.keyword === 'required' ? BLANK : (issue.message ?? 'is invalid');
    (errors[field] ??= []).push(message);
  }
  return errors;
}

/** Fastify's own client errors: the body is too large (413), not JSON (415), or unreadable (422). */
function fromFramework(err: FastifyError): Outcome | undefined {
  const outcome = (status: number, msg: string): Outcome => ({ status, errors: { body: [msg] }, code: 'conduit', severity: 'P3' });
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return outcome(413, CommonCodes.payloadTooLarge.msg);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return outcome(415, CommonCodes.unsupportedMedia.msg);
  if (err instanceof SyntaxError || (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)) return outcome(422, 'is not valid JSON');
  return undefined;
}

export function outcomeOf(err: unknown): Outcome {
  if (err instanceof ConduitError) return { status: err.status, errors: err.errors, code: 'conduit', severity: 'P3' };
  if (err instanceof AppError) return fromAppError(err);
  const fe = err as FastifyError;
  if (fe.validation) return { status: 422, errors: fromValidation(fe.validation as AjvIssue[], fe.validationContext), code: String(CommonCodes.invalidInput.code), severity: 'P3' };
  if (isConnectivityError(err)) return fromAppError(new AppError(CommonCodes.unavailable));
  return fromFramework(fe) ?? { status: 500, errors: { server: [CommonCodes.internal.msg] }, code: String(CommonCodes.internal.code), severity: 'P1' };
}

/**
 * Inside the Conduit plugin only: every error becomes `{"errors": {"field": ["message"]}}`
 * with Conduit's status (422 for invalid input); logged and counted as the Webook handler
 * does, never with a stack or SQL in the body.
 */
export function installConduitErrors(app: FastifyInstance, errorsTotal: Counter<'code' | 'severity'>): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const outcome = outcomeOf(err);
    errorsTotal.inc({ code: outcome.code, severity: outcome.severity });
    const detail = outcome.severity === 'P3' ? { reason: err.message } : { err };
    logWithSeverity(request.log, outcome.severity, { code: outcome.code, method: request.method, route: request.routeOptions.url, ...detail }, err.message);
    if (outcome.status === 429 || outcome.status === 503) reply.header('retry-after', reply.getHeader('retry-after') ?? '1');
    return reply.status(outcome.status).send({ errors: outcome.errors });
  });
  // A route, not only a not-found handler: the UI's catch-all GET /* (static-site.ts) would
  // otherwise take unknown GETs under /api to the root's handler and its envelope. Not
  // OPTIONS: CORS preflights belong to @fastify/cors.
  const notFound = () => Promise.reject(new ConduitError(404, { route: ['not found'] }));
  app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', schema: { hide: true }, handler: notFound });
  app.setNotFoundHandler(notFound);
}
