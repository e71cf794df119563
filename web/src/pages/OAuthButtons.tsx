import { useEffect, useState } from 'react';
import { oauthAuthorizeUrl, type OAuthProviderName } from '../api/oauth';
import { FormError } from '../components/Feedback';

const LABELS: Record<OAuthProviderName, string> = { github: 'Continue with GitHub', wechat: 'Continue with WeChat' };
const ALL: OAuthProviderName[] = ['github', 'wechat'];

/**
 * "Continue with GitHub / WeChat", for the providers this server has configured (asked once
 * when the page opens; an unconfigured one answers 404 and shows no button). A click asks
 * for a fresh authorize URL, whose state the server binds to this browser, and leaves.
 */
export function OAuthButtons() {
  const [available, setAvailable] = useState<OAuthProviderName[]>([]);
  const [leaving, setLeaving] = useState<OAuthProviderName | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    void Promise.all(ALL.map((p) => oauthAuthorizeUrl(p).then((url) => (url ? p : null)).catch(() => null))).then((found) => {
      if (live) setAvailable(found.filter((p): p is OAuthProviderName => p !== null));
    });
    return () => {
      live = false;
    };
  }, []);

  const go = async (provider: OAuthProviderName) => {
    setLeaving(provider);
    setError(null);
    try {
      const url = await oauthAuthorizeUrl(provider);
      if (url) window.location.assign(url);
    } catch (err) {
      setError(err);
      setLeaving(null);
    }
  };

  if (available.length === 0) return null;
  return (
    <div className="oauth-buttons">
      {available.map((provider) => (
        <button key={provider} type="button" className="btn btn-block" disabled={leaving !== null} onClick={() => void go(provider)}>
          {leaving === provider ? 'Opening…' : LABELS[provider]}
        </button>
      ))}
      <FormError error={error} />
    </div>
  );
}
