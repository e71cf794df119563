import { useEffect, type ReactNode } from 'react';
import { Loading } from '../components/Feedback';
import { useAuth } from '../lib/auth';
import { useRouter } from '../lib/router';

/** Pages of the logged-in user: wait for the session, or go to the login page and come back. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const { location, navigate } = useRouter();
  useEffect(() => {
    if (user !== null) return;
    const query = location.search.toString();
    navigate(`/login?next=${encodeURIComponent(location.path + (query ? `?${query}` : ''))}`, { replace: true });
  }, [user, location, navigate]);
  if (!user) return <Loading label="Checking your session…" />;
  return <>{children}</>;
}
