import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 01 (users), OAuth2 login: 4012xx / 5012xx (4010xx accounts and 4011xx sessions are taken). */
export const OAuthCodes = defineCodes({
  stateMismatch: {
    code: 401201,
    kind: 'unauthenticated',
    msg: 'this login did not start in this browser or took too long, start again',
    severity: 'P2',
  },
  notConfigured: { code: 401202, kind: 'not_found', msg: 'this login provider is not configured', severity: 'P3' },
  codeRefused: { code: 401203, kind: 'unauthenticated', msg: 'the login provider refused the authorization, start again', severity: 'P3' },
  providerUnavailable: { code: 501201, kind: 'unavailable', msg: 'the login provider cannot be reached right now, try again shortly', severity: 'P1' },
  credentialsRefused: { code: 501202, kind: 'unavailable', msg: 'the login provider refused this server, try again later', severity: 'P1' },
});
