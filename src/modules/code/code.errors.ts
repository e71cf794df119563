import { defineCodes } from '../../pkg/errors/app-error.js';

/**
 * Module 02 (SMS and one-time codes), codes below x02100: 4020xx / 5020xx are the code
 * store's; the SMS service's own table starts at 4021xx / 5021xx.
 */
export const CodeCodes = defineCodes({
  tooFrequent: { code: 402001, kind: 'rate_limited', msg: 'a code was sent less than a minute ago, wait before asking again', severity: 'P3' },
  wrongCode: { code: 402002, kind: 'invalid', msg: 'wrong code', severity: 'P3' },
  codeExpired: { code: 402003, kind: 'invalid', msg: 'the code has expired or was already used, ask for a new one', severity: 'P3' },
  tooManyTries: { code: 402004, kind: 'invalid', msg: 'too many wrong codes, ask for a new one', severity: 'P3' },
  storeUnavailable: { code: 502001, kind: 'unavailable', msg: 'codes cannot be sent or checked right now, try again shortly', severity: 'P0' },
  smsUnavailable: { code: 502002, kind: 'unavailable', msg: 'the text message could not be sent right now, try again shortly', severity: 'P1' },
  smsRejected: { code: 502003, kind: 'unavailable', msg: 'the text message could not be sent', severity: 'P1' },
});
