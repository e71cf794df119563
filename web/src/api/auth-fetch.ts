import { lastRotation, recordRotation } from './rotation-log';
import { clearTokens, readTokens, saveTokens, tokensFrom } from './tokens';

const REFRESH_PATH = '/users/refresh_token';
/** Credential endpoints answer 401 for a wrong password: never a reason to refresh, and no token to send. */
const ANONYMOUS = /^\/users\/(login|signup|refresh_token)/;

/** Called when the session is gone for good (refresh failed): the app shows the login screen. */
let onSessionLost: () => void = () => {};
export const setSessionLostHandler = (handler: () => void) => {
  onSessionLost = handler;
};

/**
 * Refresh tokens rotate, and the server treats a second use of an old one as theft and
 * revokes the session. So refreshes are serialised: within a tab by sharing one promise,
 * across tabs by a Web Lock; a tab that waited reuses the pair another tab just obtained
 * (from the rotation log, see rotation-log.ts) instead of refreshing again.
 */
let refreshing: Promise<boolean> | null = null;

async function refreshOnce(staleAccess: string): Promise<boolean> {
  const run = async () => {
    const current = readTokens();
    if (!current) return false;
    if (current.access !== staleAccess) return true; // this tab already has a newer pair
    const rotated = await lastRotation();
    if (rotated?.replaced === staleAccess) {
      saveTokens(rotated); // another tab refreshed this very pair a moment ago
      return true;
    }
    const res = await fetch(REFRESH_PATH, { method: 'POST', headers: { authorization: `Bearer ${current.refresh}` } });
    const fresh = res.ok ? tokensFrom(res) : null;
    if (!fresh) return false;
    saveTokens(fresh);
    await recordRotation({ ...fresh, replaced: staleAccess }); // before the lock is released
    return true;
  };
  // Web Locks resolve to what the callback returns; lib.dom types that as a promise of a promise.
  const locked = () => (navigator.locks ? (navigator.locks.request('webook-refresh', run) as unknown as Promise<boolean>) : run());
  const pending = refreshing ?? locked().finally(() => (refreshing = null));
  refreshing = pending;
  return pending;
}

const withToken = (request: Request, token: string) => {
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
};

/**
 * fetch for the API client: sends the access token; on a 401 refreshes once and retries
 * once; if that fails too the session is over (tokens cleared, login screen).
 */
export async function authFetch(request: Request): Promise<Response> {
  const tokens = readTokens();
  if (!tokens || request.headers.has('authorization') || ANONYMOUS.test(new URL(request.url).pathname)) return fetch(request);
  const retry = request.clone(); // a body can be read once: keep a copy for the retry
  const first = await fetch(withToken(request, tokens.access));
  if (first.status !== 401) return first;
  if (!(await refreshOnce(tokens.access))) {
    clearTokens();
    onSessionLost();
    // A read may still be public (an article, the newest list): ask again as a visitor.
    return request.method === 'GET' ? fetch(retry) : first;
  }
  const fresh = readTokens(); // null if another tab logged out meanwhile
  const second = await fetch(fresh ? withToken(retry, fresh.access) : retry);
  if (second.status === 401) {
    clearTokens();
    onSessionLost();
  }
  return second;
}
