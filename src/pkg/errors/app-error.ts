/**
 * Severity as the seed defines it, written into every error log line:
 * P0 critical system fault (now), P1 high (today), P2 low risk (this week),
 * P3 informational or the caller's own mistake.
 */
export type Severity = 'P0' | 'P1' | 'P2' | 'P3';

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export const httpStatusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** One entry of a module's code table: stable numeric code, kind, safe message, severity. */
export interface ErrorCode {
  code: number;
  kind: ErrorKind;
  msg: string;
  severity: Severity;
}

export const defineCodes = <T extends Record<string, ErrorCode>>(table: T): T => table;

/**
 * The only error type services throw. It knows nothing of HTTP beyond its kind; the
 * error handler turns it into a status and the `{ code, msg, data }` envelope.
 */
export class AppError extends Error {
  readonly code: number;
  readonly kind: ErrorKind;
  readonly severity: Severity;
  /** Field name -> message, for errors about one input field (shown next to it in a form). */
  readonly fields: Record<string, string> | undefined;

  constructor(def: ErrorCode, opts: { msg?: string; fields?: Record<string, string>; cause?: unknown } = {}) {
    super(opts.msg ?? def.msg, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = def.code;
    this.kind = def.kind;
    this.severity = def.severity;
    this.fields = opts.fields;
  }

  get status(): number {
    return httpStatusOf[this.kind];
  }
}
