import { useState } from 'react';
import { Field } from '../components/Field';
import { FormError } from '../components/Feedback';
import { useAuth } from '../lib/auth';
import { sentence } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { AuthCard, useLeaveWhenLoggedIn, useSubmit } from './auth-shared';

export function Signup() {
  useLeaveWhenLoggedIn();
  const { signup } = useAuth();
  const { navigate } = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useSubmit(async () => {
    await signup(email, password, confirm);
    navigate('/me?welcome=1', { replace: true });
  });
  const msg = (name: string) => form.fields[name] && sentence(form.fields[name]);

  return (
    <AuthCard
      title="Join Webook"
      subtitle="Share what you build and learn with other engineers."
      footer={<>Already have an account? <Link to="/login">Log in</Link></>}
    >
      <form onSubmit={form.submit} noValidate>
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={msg('email')} autoFocus />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={msg('password')}
          hint="At least 8 characters, with a letter, a digit and a special character."
        />
        <Field label="Repeat the password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} error={msg('confirmPassword')} />
        <FormError error={form.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={form.busy}>
          {form.busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  );
}
