import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { sentence } from '../lib/format';
import { useAsync } from '../lib/use-async';
import { FormError, Loading, messageOf } from './Feedback';
import { Icon } from './Icon';

interface Props {
  articleId: number;
  onClose(): void;
  onCollected(folderName: string): void;
}

/** Pick a folder (or make one) to collect an article into. A native modal dialog: focus stays inside, Esc closes. */
export function CollectDialog({ articleId, onClose, onCollected }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const folders = useAsync(() => unwrap(api.GET('/collections/list')), []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    return () => dialog.close();
  }, []);

  const collect = async (cid: number, folder: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(api.POST('/articles/pub/collect', { body: { id: articleId, cid } }));
      onCollected(folder);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const folder = name.trim() || 'Favorites';
    setBusy(true);
    setError(undefined);
    try {
      const { id } = await unwrap(api.POST('/collections/create', { body: { name: folder } }));
      await collect(id, folder);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const list = folders.data ?? [];
  const fieldError = error instanceof ApiError ? error.fields.name : undefined;
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="collect-title" onCancel={onClose} onClick={(e) => e.target === ref.current && onClose()}>
      <div className="dialog-body">
        <div className="dialog-head">
          <h2 id="collect-title">Save to a collection</h2>
          <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">×</button>
        </div>
        {folders.loading ? (
          <Loading label="Loading your collections…" block={false} />
        ) : folders.error ? (
          <p className="form-error" role="alert">{messageOf(folders.error)}</p>
        ) : list.length === 0 ? (
          <p className="muted">You have no collections yet. Name your first one below.</p>
        ) : (
          <ul className="folder-choices">
            {list.map((f) => (
              <li key={f.id}>
                <button type="button" className="folder-choice" disabled={busy} onClick={() => void collect(f.id, f.name)}>
                  <Icon name="folder" />
                  <span className="folder-name">{f.name}</span>
                  <span className="muted small">{f.count} {f.count === 1 ? 'article' : 'articles'}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="new-folder" onSubmit={create} noValidate>
          <label htmlFor="new-folder-name" className="sr-only">New collection name</label>
          <input id="new-folder-name" placeholder={list.length === 0 ? 'Favorites' : 'New collection'} maxLength={64} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={fieldError ? true : undefined} />
          <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
            <Icon name="plus" size={15} /> Create and save
          </button>
        </form>
        {fieldError ? <p className="field-error">{sentence(fieldError)}</p> : <FormError error={error} />}
      </div>
    </dialog>
  );
}
