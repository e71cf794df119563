import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { AppError, type ErrorCode } from '../errors/app-error.js';
import { CommonCodes } from '../errors/codes.js';
import { isConnectivityError } from '../errors/connectivity.js';
import { logWithSeverity } from '../logger/logger.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns schema validation issues into `{ field: message }`, one message per field. */
export function fieldsOf(issues: AjvIssue[], context: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    let field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    if (issue.keyword === 'required') field = [field, String(issue.params.missingProperty)].filter(Boolean).join('.');
    if (issue.keyword === 'additionalProperties') field = [field, String(issue.params.additionalProperty)].filter(Boolean).join('.');
    if (!field) field = context ?? 'body';
    if (issue.keyword === 'errorMessage' || !(field in fields)) fields[field] = issue.message ?? 'is invalid';
  }
  return fields;
}

/** Fastify's own client errors (bad JSON, wrong content type, too large, a URL that does not decode) mapped to our codes. */
function frameworkError(err: FastifyError): ErrorCode | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return CommonCodes.payloadTooLarge;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return CommonCodes.unsupportedMedia;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return CommonCodes.malformedBody;
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return CommonCodes.malformedUrl;
  }
  if (err instanceof SyntaxError || err.statusCode === 400) return CommonCodes.malformedBody;
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return CommonCodes.invalidInput;
  return undefined;
}

/**
 * The one place errors become responses. Clients get the envelope with a safe message
 * (never a stack or SQL); logs get the full error, the trace id and a severity.
 */
export function replyWithError(err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply, errorsTotal: Counter<'code' | 'severity'>) {
  let appError: AppError;
  let status: number;
  if (err instanceof AppError) {
    appError = err;
    status = err.status;
  } else if ((err as FastifyError).validation) {
    const fe = err as FastifyError;
    const fields = fieldsOf(fe.validation as AjvIssue[], fe.validationContext);
    const first = Object.entries(fields)[0];
    appError = new AppError(CommonCodes.invalidInput, {
      msg: first ? `${first[0]}: ${first[1]}` : CommonCodes.invalidInput.msg,
      fields,
    });
    status = 400;
  } else if (isConnectivityError(err)) {
    appError = new AppError(CommonCodes.unavailable, { cause: err });
    status = 503;
  } else {
    const mapped = frameworkError(err as FastifyError);
    appError = new AppError(mapped ?? CommonCodes.internal, { cause: err });
    status = mapped ? ((err as FastifyError).statusCode ?? 400) : 500;
  }

  errorsTotal.inc({ code: String(appError.code), severity: appError.severity });
  // A caller's mistake (P3) needs no stack in the logs; anything of ours does.
  const detail = appError.severity === 'P3' ? { reason: err.message } : { err };
  logWithSeverity(
    request.log,
    appError.severity,
    { code: appError.code, method: request.method, route: request.routeOptions.url, ...detail },
    appError.message,
  );
  if (status === 429 || status === 503) reply.header('retry-after', reply.getHeader('retry-after') ?? '1');
  return reply
    .status(status)
    .send({ code: appError.code, msg: appError.message, data: appError.fields ? { fields: appError.fields } : null });
}

export function installErrorHandler(app: FastifyInstance, errorsTotal: Counter<'code' | 'severity'>): void {
  app.setErrorHandler((err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => replyWithError(err, request, reply, errorsTotal));

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ code: CommonCodes.routeNotFound.code, msg: CommonCodes.routeNotFound.msg, data: null });
  });
}
