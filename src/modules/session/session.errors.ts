import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 01 (users) codes for sessions and tokens: 401 1xx. */
export const SessionCodes = defineCodes({
  missingToken: { code: 401101, kind: 'unauthenticated', msg: 'not logged in', severity: 'P3' },
  badToken: { code: 401102, kind: 'unauthenticated', msg: 'invalid or expired token, log in again', severity: 'P3' },
  sessionEnded: { code: 401103, kind: 'unauthenticated', msg: 'session ended, log in again', severity: 'P3' },
  // Someone presented a refresh token that was already rotated: stolen or replayed.
  refreshReused: { code: 401104, kind: 'unauthenticated', msg: 'session ended, log in again', severity: 'P2' },
});
