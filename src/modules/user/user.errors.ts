import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 01 (users): 401 0xx for accounts. Session and token codes are 401 1xx. */
export const UserCodes = defineCodes({
  emailTaken: { code: 401001, kind: 'conflict', msg: 'this email is already registered', severity: 'P3' },
  passwordMismatch: { code: 401002, kind: 'invalid', msg: 'the two passwords do not match', severity: 'P3' },
  wrongCredentials: { code: 401003, kind: 'unauthenticated', msg: 'wrong email or password', severity: 'P3' },
  badBirthday: { code: 401004, kind: 'invalid', msg: 'birthday must be a real date (YYYY-MM-DD), not in the future', severity: 'P3' },
  userNotFound: { code: 401005, kind: 'not_found', msg: 'user not found', severity: 'P3' },
  authLimited: { code: 401006, kind: 'rate_limited', msg: 'too many attempts, try again later', severity: 'P2' },
});
