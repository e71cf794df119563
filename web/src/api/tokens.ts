import { forgetRotation } from './rotation-log';

/**
 * The session's two tokens, kept in localStorage so every tab shares one session.
 * Only this file touches the storage keys.
 */
const ACCESS_KEY = 'webook.access';
const REFRESH_KEY = 'webook.refresh';

export interface Tokens {
  access: string;
  refresh: string;
}

type Listener = (loggedIn: boolean) => void;
const listeners = new Set<Listener>();

export function readTokens(): Tokens | null {
  const access = localStorage.getItem(ACCESS_KEY);
  const refresh = localStorage.getItem(REFRESH_KEY);
  return access && refresh ? { access, refresh } : null;
}

export function saveTokens(tokens: Tokens): void {
  localStorage.setItem(ACCESS_KEY, tokens.access);
  localStorage.setItem(REFRESH_KEY, tokens.refresh);
}

/** Forgets the session; listeners (the auth context) learn that the user is logged out. */
export function clearTokens(): void {
  const had = readTokens() !== null;
  localStorage.removeItem(ACCESS_KEY);
  localStorage.removeItem(REFRESH_KEY);
  void forgetRotation();
  if (had) for (const l of listeners) l(false);
}

/** Tokens from a login, signup or refresh response (the server sends them as headers). */
export function tokensFrom(response: Response): Tokens | null {
  const access = response.headers.get('x-jwt-token');
  const refresh = response.headers.get('x-refresh-token');
  return access && refresh ? { access, refresh } : null;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Another tab logged in or out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key !== ACCESS_KEY && event.key !== REFRESH_KEY && event.key !== null) return;
  const loggedIn = readTokens() !== null;
  for (const l of listeners) l(loggedIn);
});
