import { useEffect, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { Collection } from '../api/types';
import { ArticleCard } from '../components/ArticleCard';
import { EmptyState, ErrorState, FormError, Loading, messageOf } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { sentence } from '../lib/format';
import { Link } from '../lib/router';
import { useToast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { useSubmit } from './auth-shared';
import { NotFound } from './NotFound';
import { RequireLogin } from './RequireLogin';

function FolderRow({ folder, onChanged }: { folder: Collection; onChanged(): void }) {
  const toast = useToast();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(folder.name);
  const rename = useSubmit(async () => {
    await unwrap(api.POST('/collections/rename', { body: { id: folder.id, name } }));
    setRenaming(false);
    onChanged();
  });
  const remove = async () => {
    if (!window.confirm(`Delete "${folder.name}"? The ${folder.count} articles in it are uncollected.`)) return;
    try {
      await unwrap(api.POST('/collections/delete', { body: { id: folder.id } }));
      toast(`Deleted "${folder.name}"`);
      onChanged();
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  };

  if (renaming) {
    return (
      <li className="folder-row">
        <form className="inline-form" onSubmit={rename.submit} noValidate>
          <label className="sr-only" htmlFor={`rename-${folder.id}`}>New name</label>
          <input id={`rename-${folder.id}`} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} autoFocus />
          <button type="submit" className="btn btn-primary btn-sm" disabled={rename.busy}>Save</button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setRenaming(false)}>Cancel</button>
        </form>
        {rename.fields.name && <p className="field-error">{sentence(rename.fields.name)}</p>}
        <FormError error={rename.error} />
      </li>
    );
  }
  return (
    <li className="folder-row">
      <Link to={`/bookmarks/${folder.id}`} className="folder-link">
        <span className="folder-icon"><Icon name="folder" size={20} /></span>
        <span className="folder-name">{folder.name}</span>
        <span className="muted small">{folder.count} {folder.count === 1 ? 'article' : 'articles'}</span>
      </Link>
      <div className="folder-actions">
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setRenaming(true)}>Rename</button>
        <button type="button" className="btn btn-danger-ghost btn-sm" onClick={remove} aria-label={`Delete ${folder.name}`}><Icon name="trash" size={15} /></button>
      </div>
    </li>
  );
}

function NewFolder({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState('');
  const form = useSubmit(async () => {
    await unwrap(api.POST('/collections/create', { body: { name } }));
    setName('');
    onCreated();
  });
  return (
    <form className="inline-form new-folder-form" onSubmit={(e: FormEvent) => void form.submit(e)} noValidate>
      <label className="sr-only" htmlFor="folder-name">Collection name</label>
      <input id="folder-name" placeholder="New collection name" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
      <button type="submit" className="btn btn-primary btn-sm" disabled={form.busy}><Icon name="plus" size={15} /> Create</button>
      {form.fields.name && <p className="field-error">{sentence(form.fields.name)}</p>}
      <FormError error={form.error} />
    </form>
  );
}

export function Collections() {
  const folders = useAsync(() => unwrap(api.GET('/collections/list')), []);
  useEffect(() => {
    document.title = 'Collections · Webook';
  }, []);
  return (
    <RequireLogin>
      <div className="container narrow">
        <div className="section-head">
          <h1>Collections</h1>
        </div>
        <NewFolder onCreated={folders.reload} />
        {folders.loading && !folders.data ? (
          <Loading label="Loading your collections…" />
        ) : folders.error ? (
          <ErrorState error={folders.error} onRetry={folders.reload} />
        ) : folders.data!.length === 0 ? (
          <EmptyState icon="star" title="No collections yet">
            Collect an article with the star button under it, or create a collection above.
          </EmptyState>
        ) : (
          <ul className="card folder-list">
            {folders.data!.map((f) => <FolderRow key={f.id} folder={f} onChanged={folders.reload} />)}
          </ul>
        )}
      </div>
    </RequireLogin>
  );
}

export function CollectionPage({ id }: { id: string }) {
  const valid = /^[1-9][0-9]{0,15}$/.test(id);
  const data = useAsync(async () => {
    if (!valid) return null;
    const [folders, items] = await Promise.all([
      unwrap(api.GET('/collections/list')),
      unwrap(api.GET('/collections/{id}/articles', { params: { path: { id }, query: { limit: '100' } } })),
    ]);
    const folder = folders.find((f) => String(f.id) === id);
    return folder ? { folder, items } : null;
  }, [id]);
  useEffect(() => {
    if (data.data) document.title = `${data.data.folder.name} · Webook`;
  }, [data.data]);

  return (
    <RequireLogin>
      {data.loading ? (
        <Loading label="Loading the collection…" />
      ) : data.error && !(data.error as { notFound?: boolean }).notFound ? (
        <div className="container narrow"><ErrorState error={data.error} onRetry={data.reload} /></div>
      ) : !data.data ? (
        <NotFound title="Collection not found" text="It may have been deleted, or it belongs to someone else." />
      ) : (
        <div className="container narrow">
          <p className="crumbs"><Link to="/bookmarks">Collections</Link> / </p>
          <div className="section-head"><h1>{data.data.folder.name}</h1></div>
          {data.data.items.length === 0 ? (
            <EmptyState icon="star" title="This collection is empty">Articles you save here show up in this list.</EmptyState>
          ) : (
            <div className="feed">
              {data.data.items.map((a) => <ArticleCard key={a.id} article={{ ...a, at: a.collectedAt }} />)}
            </div>
          )}
        </div>
      )}
    </RequireLogin>
  );
}
