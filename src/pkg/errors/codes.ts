import { defineCodes } from './app-error.js';

/**
 * Codes shared by every module (module 00). A code is kind digit (4 caller, 5 system),
 * two module digits, three reason digits; once published it keeps its meaning.
 * Module tables live beside their modules (e.g. modules/user/user.errors.ts).
 */
export const CommonCodes = defineCodes({
  invalidInput: { code: 400001, kind: 'invalid', msg: 'invalid input', severity: 'P3' },
  rateLimited: { code: 400003, kind: 'rate_limited', msg: 'too many requests, slow down', severity: 'P3' },
  routeNotFound: { code: 400004, kind: 'not_found', msg: 'no such route', severity: 'P3' },
  payloadTooLarge: { code: 400005, kind: 'invalid', msg: 'request body too large', severity: 'P3' },
  unsupportedMedia: { code: 400006, kind: 'invalid', msg: 'unsupported content type', severity: 'P3' },
  malformedBody: { code: 400007, kind: 'invalid', msg: 'request body is not valid JSON', severity: 'P3' },
  malformedUrl: { code: 400008, kind: 'invalid', msg: 'the URL is not valid: bad percent-encoding, or a part over 100 characters', severity: 'P3' },
  internal: { code: 500001, kind: 'internal', msg: 'internal error', severity: 'P1' },
  unavailable: { code: 500002, kind: 'unavailable', msg: 'service temporarily unavailable', severity: 'P0' },
  shuttingDown: { code: 500003, kind: 'unavailable', msg: 'this server is shutting down: try again, another instance will answer', severity: 'P3' },
});
