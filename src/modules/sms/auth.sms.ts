import { createSigner, createVerifier } from 'fast-jwt';
import { SmsError, type SmsArg, type SmsService } from './sms.js';

/** The claim naming the one template a caller may send. */
interface CallerClaims {
  tpl?: unknown;
}

type Verify = (token: string) => CallerClaims;

/**
 * Business callers do not name a template; they present a token (HS256 JWT signed with
 * the SMS caller secret) that names the one template they may use, so a leaked or buggy
 * caller cannot send arbitrary templates (the seed's auth decorator). In this wrapper the
 * `templateId` argument of `send` carries that token. A missing, tampered, expired or
 * claim-less token is `rejected`: trying again or elsewhere would not help.
 */
export class AuthenticatedSms implements SmsService {
  private readonly verify: Verify;

  constructor(
    private readonly inner: SmsService,
    secret: string,
  ) {
    this.verify = createVerifier({ key: secret, algorithms: ['HS256'] }) as Verify;
  }

  async send(callerToken: string, args: SmsArg[], ...numbers: string[]): Promise<void> {
    let claims: CallerClaims;
    try {
      claims = this.verify(callerToken);
    } catch (err) {
      throw new SmsError('rejected', 'SMS caller token is missing, invalid or expired', 'auth', { cause: err });
    }
    if (typeof claims.tpl !== 'string' || claims.tpl === '') {
      throw new SmsError('rejected', 'SMS caller token names no template', 'auth');
    }
    await this.inner.send(claims.tpl, args, ...numbers);
  }
}

/** Issues a caller token for one template (operators hand these to business services). */
export function signCallerToken(secret: string, templateId: string, ttlSeconds?: number): string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', ...(ttlSeconds ? { expiresIn: ttlSeconds * 1000 } : {}) }) as (p: object) => string;
  return sign({ tpl: templateId });
}
