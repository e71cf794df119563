/**
 * Tokens an OAuth2 login hands over in the URL fragment (`#x-jwt-token=…&x-refresh-token=…`,
 * see docs/login.md): a fragment never reaches a server, so they stay out of access logs and
 * Referer headers. Pure, so it is tested without a browser.
 */
export function tokensFromFragment(hash: string): { access: string; refresh: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const access = params.get('x-jwt-token');
  const refresh = params.get('x-refresh-token');
  return access && refresh ? { access, refresh } : null;
}
