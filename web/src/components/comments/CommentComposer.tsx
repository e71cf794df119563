import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useSubmit } from '../../pages/auth-shared';
import { sentence } from '../../lib/format';
import { FormError } from '../Feedback';

interface Props {
  articleId: number;
  /** The comment answered; absent for a top-level comment. */
  parentId?: number;
  placeholder: string;
  autoFocus?: boolean;
  onPosted(): void;
  onCancel?: () => void;
}

/** A text box that posts a comment or a reply; the server's message shows under it. */
export function CommentComposer({ articleId, parentId, placeholder, autoFocus, onPosted, onCancel }: Props) {
  const [content, setContent] = useState('');
  const form = useSubmit(async () => {
    await unwrap(api.POST('/comments/create', { body: { articleId, content, ...(parentId ? { parentId } : {}) } }));
    setContent('');
    onPosted();
  });
  const error = form.fields.content;
  return (
    <form className="composer" onSubmit={form.submit} noValidate>
      <label className="sr-only" htmlFor={`composer-${parentId ?? 'top'}`}>{placeholder}</label>
      <textarea
        id={`composer-${parentId ?? 'top'}`}
        rows={parentId ? 2 : 3}
        placeholder={placeholder}
        value={content}
        autoFocus={autoFocus}
        onChange={(e) => setContent(e.target.value)}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') void form.submit();
        }}
        aria-invalid={error ? true : undefined}
      />
      {error && <p className="field-error">{sentence(error)}</p>}
      <FormError error={form.error} />
      <div className="composer-actions">
        <span className="muted small">Ctrl+Enter to send</span>
        {onCancel && <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel}>Cancel</button>}
        <button type="submit" className="btn btn-primary btn-sm" disabled={form.busy || !content.trim()}>
          {form.busy ? 'Sending…' : parentId ? 'Reply' : 'Comment'}
        </button>
      </div>
    </form>
  );
}
