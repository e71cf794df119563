import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import type { Profile as ProfileData } from '../api/types';
import { Avatar } from '../components/Avatar';
import { Field, TextAreaField } from '../components/Field';
import { FormError } from '../components/Feedback';
import { useAuth } from '../lib/auth';
import { formatDate, sentence } from '../lib/format';
import { useRouter } from '../lib/router';
import { useToast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { useSubmit } from './auth-shared';
import { RequireLogin } from './RequireLogin';

const displayName = (p: ProfileData) => p.nickname || `user ${p.id}`;

/** Followers and following; nothing when the server has no follows. */
function FollowCounts({ uid }: { uid: number }) {
  const stats = useAsync(() => unwrap(api.GET('/follows/stats', { params: { query: { uid: String(uid) } } })), [uid]);
  if (!stats.data) return null;
  return (
    <p className="profile-counts">
      <span><strong>{stats.data.followerCnt}</strong> followers</span>
      <span><strong>{stats.data.followeeCnt}</strong> following</span>
    </p>
  );
}

function ProfileCard({ profile }: { profile: ProfileData }) {
  return (
    <section className="card profile-card" aria-label="Your profile">
      <Avatar id={profile.id} name={displayName(profile)} size={72} />
      <h1 className="profile-name">{displayName(profile)}</h1>
      <FollowCounts uid={profile.id} />
      <dl className="profile-facts">
        {profile.email && (<><dt>Email</dt><dd>{profile.email}</dd></>)}
        {profile.phone && (<><dt>Phone</dt><dd>{profile.phone}</dd></>)}
        <dt>Birthday</dt>
        <dd>{profile.birthday ?? <span className="muted">not set</span>}</dd>
        <dt>Member since</dt>
        <dd>{formatDate(profile.ctime)}</dd>
      </dl>
      <p className="profile-about">{profile.aboutMe || <span className="muted">No bio yet.</span>}</p>
    </section>
  );
}

function EditForm({ profile }: { profile: ProfileData }) {
  const { reloadProfile } = useAuth();
  const toast = useToast();
  const [nickname, setNickname] = useState(profile.nickname);
  const [birthday, setBirthday] = useState(profile.birthday ?? '');
  const [aboutMe, setAboutMe] = useState(profile.aboutMe);
  const form = useSubmit(async () => {
    // Only what changed: an untouched empty nickname must not fail the "not blank" rule.
    const body: { nickname?: string; birthday?: string | null; aboutMe?: string } = {};
    if (nickname !== profile.nickname) body.nickname = nickname;
    if (birthday !== (profile.birthday ?? '')) body.birthday = birthday || null;
    if (aboutMe !== profile.aboutMe) body.aboutMe = aboutMe;
    if (Object.keys(body).length === 0) return toast('Nothing to save: no field changed.', 'info');
    await unwrap(api.POST('/users/edit', { body }));
    await reloadProfile();
    toast('Profile saved');
  });
  const msg = (name: string) => form.fields[name] && sentence(form.fields[name]);

  return (
    <section className="card edit-card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit profile</h2>
      <form onSubmit={form.submit} noValidate>
        <Field label="Nickname" value={nickname} maxLength={64} onChange={(e) => setNickname(e.target.value)} error={msg('nickname')} hint="Shown as the author of your articles. 1 to 32 characters." />
        <Field label="Birthday" type="date" value={birthday} onChange={(e) => setBirthday(e.target.value)} error={msg('birthday')} />
        <TextAreaField label="About me" rows={5} value={aboutMe} onChange={(e) => setAboutMe(e.target.value)} error={msg('aboutMe')} hint={`${aboutMe.length} / 1024 characters`} />
        <FormError error={form.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={form.busy}>
            {form.busy ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
    </section>
  );
}

export function Profile() {
  const { user } = useAuth();
  const { location } = useRouter();
  useEffect(() => {
    document.title = 'Your profile · Webook';
  }, []);
  return (
    <RequireLogin>
      {user && (
        <div className="container narrow">
          {location.search.get('welcome') && !user.nickname && (
            <div className="notice notice-welcome" role="status">Welcome to Webook! Pick a nickname so readers know who wrote your articles.</div>
          )}
          <div className="profile-grid">
            <ProfileCard profile={user} />
            <EditForm key={user.id} profile={user} />
          </div>
        </div>
      )}
    </RequireLogin>
  );
}
