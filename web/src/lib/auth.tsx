import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setSessionLostHandler } from '../api/auth-fetch';
import { ApiError, api, unwrap } from '../api/client';
import { clearTokens, onSessionChange, readTokens, saveTokens, tokensFrom } from '../api/tokens';
import type { Profile } from '../api/types';

/** Who is logged in, and the actions that change it. */
interface AuthValue {
  /** undefined while the first profile load is in flight; null when logged out. */
  user: Profile | null | undefined;
  /** Set when the session ended on its own (expired, revoked): the login page says so. */
  expired: boolean;
  login(email: string, password: string): Promise<void>;
  signup(email: string, password: string, confirmPassword: string): Promise<void>;
  /** After SMS login (or any call that stored tokens): loads the profile. */
  loggedIn(): Promise<void>;
  logout(): Promise<void>;
  reloadProfile(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

const loadProfile = () => unwrap(api.GET('/users/profile'));

function keepTokens(response: Response) {
  const tokens = tokensFrom(response);
  if (!tokens) throw new ApiError(500, 0, 'The server did not start a session. Please try again.');
  saveTokens(tokens);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Profile | null | undefined>(readTokens() ? undefined : null);
  const [expired, setExpired] = useState(false);

  const reloadProfile = useCallback(async () => {
    if (!readTokens()) return setUser(null);
    try {
      setUser(await loadProfile());
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setUser(null);
      else setUser((u) => u ?? null);
    }
  }, []);

  useEffect(() => {
    void reloadProfile();
    return onSessionChange((loggedIn) => (loggedIn ? void reloadProfile() : setUser(null)));
  }, [reloadProfile]);

  // The session is over (refresh failed): show the visitor as logged out. Pages that need a
  // login (RequireLogin) then send them to the login page, which says the session ended;
  // public pages stay where they are.
  useEffect(() => {
    setSessionLostHandler(() => {
      setUser(null);
      setExpired(true);
    });
  }, []);

  const loggedIn = useCallback(async () => {
    setExpired(false);
    setUser(await loadProfile());
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user,
      expired,
      loggedIn,
      reloadProfile,
      async login(email, password) {
        const { response } = await unwrapWithResponse(api.POST('/users/login', { body: { email, password } }));
        keepTokens(response);
        await loggedIn();
      },
      async signup(email, password, confirmPassword) {
        const { response } = await unwrapWithResponse(api.POST('/users/signup', { body: { email, password, confirmPassword } }));
        keepTokens(response);
        await loggedIn();
      },
      async logout() {
        // Ending the session on the server matters (the tokens die), but the user leaves either way.
        await unwrap(api.POST('/users/logout')).catch(() => undefined);
        clearTokens();
        setUser(null);
      },
    }),
    [user, expired, loggedIn, reloadProfile],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** unwrap, keeping the response for its token headers. */
async function unwrapWithResponse<T>(call: Promise<{ data?: { code: number; data?: T }; error?: unknown; response: Response }>) {
  let response: Response | undefined;
  await unwrap(call.then((outcome) => ((response = outcome.response), outcome)));
  return { response: response! };
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
