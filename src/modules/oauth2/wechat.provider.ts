import type { OAuthClientConfig } from '../../config/config.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { OAuthCodes } from './oauth2.errors.js';
import { callProvider, idField, type OAuthIdentity, type OAuthProvider } from './oauth2.provider.js';

/** WeChat's errcodes that mean "this code is no good" (invalid, used, missing): the user starts again. */
const CODE_ERRORS = new Set([40029, 40163, 41008]);

/**
 * WeChat website login (open platform, QR code; the seed's wechat service): the authorize
 * URL, then GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code,
 * which answers the openid (per app) and, when the app belongs to an open-platform
 * account, the unionid (the same across that account's apps). The unionid is the subject
 * when present, so a user keeps their account across our apps.
 */
export class WechatProvider implements OAuthProvider {
  readonly name = 'wechat' as const;

  constructor(private readonly app: OAuthClientConfig) {}

  authorizeUrl(state: string): string {
    const query = new URLSearchParams({
      appid: this.app.clientId,
      redirect_uri: this.app.redirectUrl,
      response_type: 'code',
      scope: 'snsapi_login',
      state,
    });
    return `${this.app.authorizeUrl}?${query.toString()}#wechat_redirect`;
  }

  async identify(code: string): Promise<OAuthIdentity> {
    const query = new URLSearchParams({ appid: this.app.clientId, secret: this.app.clientSecret, code, grant_type: 'authorization_code' });
    const { body } = await callProvider(`${this.app.tokenUrl}?${query.toString()}`, { method: 'GET' });
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode !== 0) {
      const cause = new Error(`wechat errcode ${errcode}: ${String(body.errmsg)}`);
      throw new AppError(CODE_ERRORS.has(errcode) ? OAuthCodes.codeRefused : OAuthCodes.credentialsRefused, { cause });
    }
    const subject = idField(body, 'unionid') ?? idField(body, 'openid');
    if (!subject) throw new AppError(OAuthCodes.providerUnavailable, { cause: new Error('wechat answer without openid') });
    return { subject };
  }
}
