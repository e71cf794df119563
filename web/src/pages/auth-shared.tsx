import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from '../lib/auth';
import { useRouter } from '../lib/router';

/** Where to go after logging in: the page that sent us here, if it is one of ours. */
export function useNextPath(): string {
  const { location } = useRouter();
  const next = location.search.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** A logged-in visitor of a login page goes straight on. */
export function useLeaveWhenLoggedIn() {
  const { user } = useAuth();
  const { navigate } = useRouter();
  const next = useNextPath();
  useEffect(() => {
    if (user) navigate(next, { replace: true });
  }, [user, next, navigate]);
}

export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle: string; children: ReactNode; footer: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Webook`;
  }, [title]);
  return (
    <div className="auth-page">
      <div className="auth-card card">
        <div className="auth-brand" aria-hidden="true">W</div>
        <h1>{title}</h1>
        <p className="muted auth-subtitle">{subtitle}</p>
        {children}
        <div className="auth-footer">{footer}</div>
      </div>
    </div>
  );
}

/**
 * Form state for a server-validated form: submitting flag, the form-level error, and the
 * per-field messages the server returned in data.fields.
 */
export function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [fields, setFields] = useState<Record<string, string>>({});
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setFields({});
    try {
      await action();
    } catch (err) {
      const perField = err instanceof ApiError ? err.fields : {};
      setFields(perField);
      // A field message says it all; a form-level banner only when no field explains it.
      if (Object.keys(perField).length === 0) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, fields, submit };
}
