import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { CommonCodes } from '../errors/codes.js';

const NUL_REFUSED = 'text must not contain the NUL character (U+0000)';

const refusal = () => new AppError(CommonCodes.invalidInput, { msg: NUL_REFUSED });

/**
 * Whether any string of a parsed JSON value, keys included, holds U+0000. A loop over a
 * stack of values, not recursion: a body may nest a hundred thousand levels deep.
 */
function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) pending.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (key.includes('\0')) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/**
 * Refuses U+0000 anywhere in a request's text with a 400. PostgreSQL cannot store it in a
 * text column (the insert fails, and the request with it), while SQLite and MySQL keep
 * it: one rule at the edge makes every backend answer alike, and no schema has to
 * remember it. In a URL it can only come percent-encoded; in a JSON body only as the
 * `\u0000` escape, so it is looked for in the parsed value, where the escaped text
 * `\\u0000` (a backslash, then "u0000") is not mistaken for it.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => done(request.url.includes('%00') ? refusal() : undefined));

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, body as string, (err, value) => (err ? done(err, undefined) : holdsNul(value) ? done(refusal(), undefined) : done(null, value))),
  );
}
