import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 07 (follows and the feed). */
export const FollowCodes = defineCodes({
  userNotFound: { code: 407001, kind: 'not_found', msg: 'user not found', severity: 'P3' },
  selfFollow: { code: 407002, kind: 'invalid', msg: 'you cannot follow yourself', severity: 'P3' },
  tooManyFollowees: { code: 407003, kind: 'conflict', msg: 'follow limit reached (5000 people)', severity: 'P3' },
});
