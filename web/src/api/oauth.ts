import { ApiError, api, unwrap } from './client';
import { saveTokens } from './tokens';
import { tokensFromFragment } from '../lib/fragment';

export type OAuthProviderName = 'github' | 'wechat';

/**
 * The provider's authorize URL; the server also binds its `state` to this browser with a
 * short-lived cookie, so fetch a fresh one right before leaving. Null when this server has
 * no such login configured (404).
 */
export async function oauthAuthorizeUrl(provider: OAuthProviderName): Promise<string | null> {
  try {
    const call = provider === 'github' ? api.GET('/oauth2/github/authurl') : api.GET('/oauth2/wechat/authurl');
    return (await unwrap(call)).url;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/**
 * After an OAuth2 login the server sends the browser back with the tokens in the fragment:
 * keep them and take them out of the address bar (and so out of the history), before the
 * app first reads the session.
 */
export function adoptTokensFromFragment(): void {
  const tokens = tokensFromFragment(window.location.hash);
  if (!tokens) return;
  saveTokens(tokens);
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
