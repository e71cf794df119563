import type { OAuthClientConfig } from '../../config/config.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { OAuthCodes } from './oauth2.errors.js';
import { callProvider, idField, type OAuthIdentity, type OAuthProvider } from './oauth2.provider.js';

/** GitHub's token-endpoint errors that are the code's fault; any other is our app's configuration. */
const CODE_ERRORS = new Set(['bad_verification_code']);

/**
 * GitHub OAuth app login: the authorize URL (scope read:user), POST to the token endpoint
 * (GitHub answers errors with HTTP 200 and an `error` field), then GET /user for the
 * numeric id, which is the subject (the login name can change, the id cannot).
 */
export class GithubProvider implements OAuthProvider {
  readonly name = 'github' as const;

  constructor(private readonly app: OAuthClientConfig) {}

  authorizeUrl(state: string): string {
    const query = new URLSearchParams({ client_id: this.app.clientId, redirect_uri: this.app.redirectUrl, scope: 'read:user', state });
    return `${this.app.authorizeUrl}?${query.toString()}`;
  }

  async identify(code: string): Promise<OAuthIdentity> {
    const token = await this.exchange(code);
    const { status, body } = await callProvider(`${this.app.apiUrl.replace(/\/$/, '')}/user`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'user-agent': 'webook',
        'x-github-api-version': '2022-11-28',
      },
    });
    const subject = status === 200 ? idField(body, 'id') : undefined;
    if (!subject) throw new AppError(OAuthCodes.providerUnavailable, { cause: new Error(`github /user: HTTP ${status}`) });
    return { subject };
  }

  private async exchange(code: string): Promise<string> {
    const { body } = await callProvider(this.app.tokenUrl, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: this.app.clientId,
        client_secret: this.app.clientSecret,
        code,
        redirect_uri: this.app.redirectUrl,
      }).toString(),
    });
    if (typeof body.error === 'string') {
      const cause = new Error(`github token error ${body.error}: ${String(body.error_description)}`);
      throw new AppError(CODE_ERRORS.has(body.error) ? OAuthCodes.codeRefused : OAuthCodes.credentialsRefused, { cause });
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new AppError(OAuthCodes.providerUnavailable, { cause: new Error('github token answer without access_token') });
    }
    return body.access_token;
  }
}
