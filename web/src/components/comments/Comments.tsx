import { useState } from 'react';
import { usePaged, type Paged } from '../../lib/use-paged';
import { api, unwrap } from '../../api/client';
import { isMissingRoute } from '../../api/optional';
import { useAuth } from '../../lib/auth';
import { Link, useRouter } from '../../lib/router';
import { Loading, messageOf } from '../Feedback';
import { CommentComposer } from './CommentComposer';
import type { CommentData } from '../../api/types';
import { CommentItem } from './CommentItem';

const PAGE = '20';

/** The comment routes page by cursor: `{ items, nextCursor }` as a Paged list. */
const paged = async (call: Promise<{ items: CommentData[]; nextCursor: string | null }>): Promise<Paged<CommentData>> => {
  const page = await call;
  return { items: page.items, next: page.nextCursor };
};

function Thread({ root, articleAuthorId }: { root: CommentData; articleAuthorId: number }) {
  const replies = usePaged(
    (cursor) => paged(unwrap(api.GET('/comments/replies', { params: { query: { rootId: String(root.id), limit: PAGE, ...(cursor ? { cursor } : {}) } } }))),
    [root.id],
  );
  if (replies.loading) return <Loading label="Loading replies…" block={false} />;
  if (replies.error) return <p className="form-error" role="alert">{messageOf(replies.error)}</p>;
  return (
    <ul className="comment-replies">
      {replies.data!.items.map((c) => <CommentItem key={c.id} comment={c} articleAuthorId={articleAuthorId} onChanged={replies.reload} />)}
      {replies.hasMore && (
        <li><button type="button" className="link-btn" onClick={replies.loadMore} disabled={replies.more.busy}>More replies</button></li>
      )}
    </ul>
  );
}

function TopLevel({ comment, articleAuthorId, onChanged }: { comment: CommentData; articleAuthorId: number; onChanged(): void }) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  // A reply posted here must show: open the thread and reload it, and refresh the counts above.
  const changed = () => {
    setOpen(true);
    setRound((r) => r + 1);
    onChanged();
  };
  return (
    <CommentItem comment={comment} articleAuthorId={articleAuthorId} onChanged={changed}>
      {comment.replyCnt > 0 && (
        <button type="button" className="link-btn thread-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide replies' : `Show ${comment.replyCnt} ${comment.replyCnt === 1 ? 'reply' : 'replies'}`}
        </button>
      )}
      {open && <Thread key={round} root={comment} articleAuthorId={articleAuthorId} />}
    </CommentItem>
  );
}

/** The discussion under an article; hidden when the server has no comments. */
export function Comments({ articleId, articleAuthorId }: { articleId: number; articleAuthorId: number }) {
  const { user } = useAuth();
  const { location } = useRouter();
  const list = usePaged(
    (cursor) => paged(unwrap(api.GET('/comments/list', { params: { query: { articleId: String(articleId), limit: PAGE, ...(cursor ? { cursor } : {}) } } }))),
    [articleId],
  );
  if (list.error && isMissingRoute(list.error)) return null;
  const items = list.data?.items ?? [];

  return (
    <section className="card comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      {user ? (
        <CommentComposer articleId={articleId} placeholder="Share your thoughts or ask the author a question" onPosted={list.reload} />
      ) : (
        <p className="comments-login">
          <Link to={`/login?next=${encodeURIComponent(location.path)}`}>Log in</Link> to join the discussion.
        </p>
      )}
      {list.loading && !list.data ? (
        <Loading label="Loading comments…" block={false} />
      ) : list.error ? (
        <p className="form-error" role="alert">{messageOf(list.error)}</p>
      ) : items.length === 0 ? (
        <p className="muted">No comments yet. Be the first to say something.</p>
      ) : (
        <ul className="comment-list">
          {items.map((c) => <TopLevel key={c.id} comment={c} articleAuthorId={articleAuthorId} onChanged={list.reload} />)}
        </ul>
      )}
      {list.hasMore && (
        <button type="button" className="btn btn-sm" onClick={list.loadMore} disabled={list.more.busy}>
          {list.more.busy ? 'Loading…' : 'More comments'}
        </button>
      )}
      {list.more.error !== undefined && <p className="form-error" role="alert">{messageOf(list.more.error)}</p>}
    </section>
  );
}
