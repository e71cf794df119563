import { useState } from 'react';
import { Field } from '../components/Field';
import { FormError } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { useAuth } from '../lib/auth';
import { sentence } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { OAuthButtons } from './OAuthButtons';
import { AuthCard, useLeaveWhenLoggedIn, useNextPath, useSubmit } from './auth-shared';

export function Login() {
  useLeaveWhenLoggedIn();
  const { login, expired } = useAuth();
  const { navigate } = useRouter();
  const next = useNextPath();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(async () => {
    await login(email, password);
    navigate(next, { replace: true });
  });
  const query = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;

  return (
    <AuthCard
      title="Welcome back"
      subtitle="Log in to write, like and collect articles."
      footer={<>New to Webook? <Link to="/signup">Create an account</Link></>}
    >
      {expired && (
        <div className="notice" role="status">Your session has ended. Please log in again.</div>
      )}
      <form onSubmit={form.submit} noValidate>
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={form.fields.email && sentence(form.fields.email)} autoFocus />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={form.fields.password && sentence(form.fields.password)} />
        <FormError error={form.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={form.busy}>
          {form.busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <div className="divider"><span>or</span></div>
      <Link to={`/login/sms${query}`} className="btn btn-block">
        <Icon name="phone" size={16} /> Log in with a code by SMS
      </Link>
      <OAuthButtons />
    </AuthCard>
  );
}
