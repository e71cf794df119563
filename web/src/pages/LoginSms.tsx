import { useEffect, useState } from 'react';
import { isMissingRoute, loginBySms, sendSmsCode } from '../api/optional';
import { Field } from '../components/Field';
import { EmptyState, FormError } from '../components/Feedback';
import { useAuth } from '../lib/auth';
import { sentence } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { AuthCard, useLeaveWhenLoggedIn, useNextPath, useSubmit } from './auth-shared';

const RESEND_SECONDS = 60; // the server allows one code per phone a minute

function useCountdown(): [number, () => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, () => setLeft(RESEND_SECONDS)];
}

export function LoginSms() {
  useLeaveWhenLoggedIn();
  const { loggedIn } = useAuth();
  const { navigate } = useRouter();
  const next = useNextPath();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [unsupported, setUnsupported] = useState(false);
  const [wait, startWait] = useCountdown();

  const send = useSubmit(async () => {
    try {
      await sendSmsCode(phone);
    } catch (err) {
      if (isMissingRoute(err)) return setUnsupported(true);
      throw err;
    }
    setSent(true);
    startWait();
  });
  const verify = useSubmit(async () => {
    await loginBySms(phone, code);
    await loggedIn();
    navigate(next, { replace: true });
  });

  const footer = <>Prefer your password? <Link to="/login">Log in with email</Link></>;
  if (unsupported) {
    return (
      <AuthCard title="Log in by SMS" subtitle="" footer={footer}>
        <EmptyState icon="phone" title="SMS login is not available here">This server does not send login codes yet.</EmptyState>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Log in by SMS" subtitle="We text you a 6-digit code. New here? The code creates your account." footer={footer}>
      <form onSubmit={send.submit} noValidate>
        <Field label="Mobile number" type="tel" inputMode="tel" autoComplete="tel" required value={phone} onChange={(e) => setPhone(e.target.value)} error={send.fields.phone && sentence(send.fields.phone)} autoFocus />
        <FormError error={send.error} />
        <button type="submit" className="btn btn-block" disabled={send.busy || wait > 0 || !phone}>
          {send.busy ? 'Sending…' : wait > 0 ? `Send again in ${wait} s` : sent ? 'Send a new code' : 'Send code'}
        </button>
      </form>
      {sent && (
        <form onSubmit={verify.submit} noValidate className="stack-top">
          <p className="notice" role="status">Code sent. It is valid for 10 minutes.</p>
          <Field label="Code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} error={verify.fields.code && sentence(verify.fields.code)} />
          <FormError error={verify.error} />
          <button type="submit" className="btn btn-primary btn-block" disabled={verify.busy || code.length !== 6}>
            {verify.busy ? 'Checking…' : 'Log in'}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
