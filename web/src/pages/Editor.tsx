import { useDeferredValue, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { api, unwrap } from '../api/client';
import { ArticleStatus } from '../api/types';
import { ErrorState, FormError, Loading } from '../components/Feedback';
import { StatusBadge } from '../components/StatusBadge';
import { sentence } from '../lib/format';
import { renderMarkdown } from '../lib/markdown';
import { replaceAddress, useLeaveGuard, useRouter } from '../lib/router';
import { useToast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { useSubmit } from './auth-shared';
import { RequireLogin } from './RequireLogin';

interface Draft {
  id: number;
  title: string;
  content: string;
  status: number;
  tags: string[];
}

const EMPTY: Draft = { id: 0, title: '', content: '', status: ArticleStatus.draft, tags: [] };

/** "Node.js, streams" -> ["Node.js", "streams"]; the server normalises (lower case, at most 5). */
const tagsFrom = (text: string) => text.split(/[,，]/).map((t) => t.trim()).filter(Boolean);

function Preview({ content }: { content: string }) {
  // Deferred: typing stays smooth on long articles, the preview catches up a moment later.
  const deferred = useDeferredValue(content);
  const html = useMemo(() => renderMarkdown(deferred), [deferred]);
  if (!deferred.trim()) return <p className="muted preview-empty">The preview of your article appears here as you type.</p>;
  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}

interface BarProps {
  status: number;
  state: string;
  saving: boolean;
  publishing: boolean;
  onSave(): void;
}

/** Status and the two actions, kept in view while scrolling a long article. */
function EditorBar({ status, state, saving, publishing, onSave }: BarProps) {
  const busy = saving || publishing;
  return (
    <div className="editor-bar">
      <div className="editor-state">
        <StatusBadge status={status} />
        <span className="muted">{state}</span>
      </div>
      <div className="editor-actions">
        <button type="button" className="btn" onClick={onSave} disabled={busy} title="Ctrl+S">
          {saving ? 'Saving…' : 'Save draft'}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {publishing ? 'Publishing…' : status === ArticleStatus.published ? 'Publish changes' : 'Publish'}
        </button>
      </div>
    </div>
  );
}

/** The Markdown source and its live preview: side by side, or as two tabs on a narrow screen. */
function MarkdownPanes({ content, error, onChange }: { content: string; error?: string | undefined; onChange(content: string): void }) {
  const [pane, setPane] = useState<'write' | 'preview'>('write');
  return (
    <>
      <div className="editor-tabs" role="tablist" aria-label="Editor view">
        <button type="button" role="tab" aria-selected={pane === 'write'} onClick={() => setPane('write')}>Write</button>
        <button type="button" role="tab" aria-selected={pane === 'preview'} onClick={() => setPane('preview')}>Preview</button>
      </div>
      <div className={`editor-panes show-${pane}`}>
        <div className="editor-pane editor-write">
          <label className="pane-label" htmlFor="article-content">Markdown</label>
          <textarea
            id="article-content"
            value={content}
            placeholder={'Write in Markdown: # headings, **bold**, `code`, lists, links…'}
            onChange={(e) => onChange(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'content-msg' : undefined}
          />
          {error && <p id="content-msg" className="field-error">{sentence(error)}</p>}
        </div>
        <div className="editor-pane editor-preview" aria-label="Preview">
          <span className="pane-label">Preview</span>
          <Preview content={content} />
        </div>
      </div>
    </>
  );
}

function EditorForm({ initial }: { initial: Draft }) {
  const { navigate } = useRouter();
  const toast = useToast();
  const [draft, setDraft] = useState(initial);
  const [saved, setSaved] = useState(initial);
  const [tagText, setTagText] = useState(initial.tags.join(', '));
  const dirty = draft.title !== saved.title || draft.content !== saved.content || tagText !== saved.tags.join(', ');

  useLeaveGuard(dirty ? 'Leave this page? Your unsaved changes will be lost.' : null);

  const body = () => ({ id: draft.id, title: draft.title, content: draft.content, tags: tagsFrom(tagText) });
  const save = useSubmit(async () => {
    const { id } = await unwrap(api.POST('/articles/edit', { body: body() }));
    const next = { ...draft, id, status: ArticleStatus.draft, tags: tagsFrom(tagText) };
    setTagText(next.tags.join(', '));
    setDraft(next);
    setSaved(next);
    if (draft.id !== id) replaceAddress(`/write/${id}`); // a reload now reopens this draft
    toast('Draft saved');
  });
  const publish = useSubmit(async () => {
    const { id } = await unwrap(api.POST('/articles/publish', { body: body() }));
    setSaved({ ...draft, id, tags: tagsFrom(tagText) });
    toast('Published! Readers can see it now.');
    navigate(`/post/${id}`, { force: true }); // just saved: nothing to lose
  });
  const fields = { ...save.fields, ...publish.fields };
  // One message for the tag list, whether the server named the list or one of its tags ("tags.2").
  const tagError = Object.entries(fields).find(([name]) => name === 'tags' || name.startsWith('tags.'))?.[1];

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void save.submit();
    }
  };

  return (
    <form className="editor" onSubmit={publish.submit} onKeyDown={onKeyDown} noValidate>
      <EditorBar
        status={draft.status}
        state={dirty ? 'Unsaved changes' : draft.id ? 'All changes saved' : 'New article'}
        saving={save.busy}
        publishing={publish.busy}
        onSave={() => void save.submit()}
      />
      <FormError error={save.error ?? publish.error} />
      <label className="sr-only" htmlFor="article-title">Title</label>
      <input
        id="article-title"
        className={fields.title ? 'editor-title field-invalid-input' : 'editor-title'}
        placeholder="Title"
        value={draft.title}
        maxLength={256}
        onChange={(e) => setDraft({ ...draft, title: e.target.value })}
        aria-invalid={fields.title ? true : undefined}
        aria-describedby={fields.title ? 'title-msg' : undefined}
        autoFocus={!draft.id}
      />
      {fields.title && <p id="title-msg" className="field-error">{sentence(fields.title)}</p>}
      <label className="sr-only" htmlFor="article-tags">Tags</label>
      <input
        id="article-tags"
        className="editor-tags"
        placeholder="Tags, separated by commas (up to 5): node, streams"
        value={tagText}
        onChange={(e) => setTagText(e.target.value)}
        aria-invalid={tagError ? true : undefined}
      />
      {tagError && <p className="field-error">{sentence(tagError)}</p>}
      <MarkdownPanes content={draft.content} error={fields.content} onChange={(content) => setDraft({ ...draft, content })} />
    </form>
  );
}

/** /write (a new article) and /write/:id (an existing one of mine). */
export function Editor({ id }: { id?: string }) {
  const article = useAsync<Draft>(() => (id ? unwrap(api.GET('/articles/detail/{id}', { params: { path: { id } } })) : Promise.resolve(EMPTY)), [id]);
  useEffect(() => {
    document.title = `${id ? 'Edit article' : 'Write an article'} · Webook`;
  }, [id]);
  return (
    <RequireLogin>
      <div className="container wide">
        {article.loading ? (
          <Loading label="Opening the article…" />
        ) : article.error ? (
          <ErrorState error={article.error} onRetry={article.reload} />
        ) : (
          <EditorForm initial={article.data!} />
        )}
      </div>
    </RequireLogin>
  );
}
