import { useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { useAuth } from '../lib/auth';
import { useRouter } from '../lib/router';
import { useToast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { messageOf } from './Feedback';

/** Follow an author; hidden on your own articles and on servers without follows. */
export function FollowButton({ uid, name }: { uid: number; name: string }) {
  const { user } = useAuth();
  const { navigate, location } = useRouter();
  const toast = useToast();
  const stats = useAsync(() => unwrap(api.GET('/follows/stats', { params: { query: { uid: String(uid) } } })), [uid, user?.id]);
  const [busy, setBusy] = useState(false);
  if (user?.id === uid || stats.error instanceof ApiError || !stats.data) return null;
  const followed = stats.data.followed;

  const toggle = async () => {
    if (!user) return navigate(`/login?next=${encodeURIComponent(location.path)}`);
    setBusy(true);
    const flip = (on: boolean) => stats.setData((s) => s && { ...s, followed: on, followerCnt: s.followerCnt + (on ? 1 : -1) });
    flip(!followed);
    try {
      await unwrap(api.POST(followed ? '/follows/unfollow' : '/follows/follow', { body: { uid } }));
    } catch (err) {
      flip(followed);
      toast(messageOf(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className={followed ? 'btn btn-sm follow-btn following' : 'btn btn-sm btn-primary follow-btn'} aria-pressed={followed} onClick={toggle} disabled={busy}>
      {followed ? 'Following' : 'Follow'}
      <span className="sr-only"> {name}</span>
    </button>
  );
}
