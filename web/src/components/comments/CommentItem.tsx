import { useState, type ReactNode } from 'react';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../lib/auth';
import { compact, timeAgo } from '../../lib/format';
import { useToast } from '../../lib/toast';
import { Avatar } from '../Avatar';
import { messageOf } from '../Feedback';
import type { CommentData } from '../../api/types';
import { Icon } from '../Icon';
import { CommentComposer } from './CommentComposer';

interface Props {
  comment: CommentData;
  /** The article's author may delete any comment under it. */
  articleAuthorId: number;
  onChanged(): void;
  /** Replies to this one (a thread), drawn beneath it. */
  children?: ReactNode;
}

/** One comment: who and when, the text (plain, never HTML), like, reply and delete. */
export function CommentItem({ comment, articleAuthorId, onChanged, children }: Props) {
  const { user } = useAuth();
  const toast = useToast();
  const [liked, setLiked] = useState({ on: comment.liked, count: comment.likeCnt });
  const [replying, setReplying] = useState(false);
  const mayDelete = user && (user.id === comment.author.id || user.id === articleAuthorId);

  const like = async () => {
    const next = { on: !liked.on, count: liked.count + (liked.on ? -1 : 1) };
    const before = liked;
    setLiked(next);
    try {
      await unwrap(api.POST('/comments/like', { body: { id: comment.id, like: next.on } }));
    } catch (err) {
      setLiked(before);
      toast(messageOf(err), 'error');
    }
  };
  const remove = async () => {
    if (!window.confirm('Delete this comment and the replies under it?')) return;
    try {
      await unwrap(api.POST('/comments/delete', { body: { id: comment.id } }));
      onChanged();
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  };

  return (
    <li className="comment">
      <Avatar id={comment.author.id} name={comment.author.name} size={32} />
      <div className="comment-body">
        <div className="comment-head">
          <span className="author-name">{comment.author.name}</span>
          {comment.author.id === articleAuthorId && <span className="badge badge-neutral">Author</span>}
          <time className="muted small" dateTime={new Date(comment.ctime).toISOString()}>{timeAgo(comment.ctime)}</time>
        </div>
        <p className="comment-text">{comment.content}</p>
        <div className="comment-actions">
          {user && (
            <button type="button" className={liked.on ? 'link-btn link-btn-on' : 'link-btn'} aria-pressed={liked.on} onClick={like}>
              <Icon name="heart" size={14} filled={liked.on} /> {liked.count > 0 ? compact(liked.count) : 'Like'}
            </button>
          )}
          {user && (
            <button type="button" className="link-btn" onClick={() => setReplying(!replying)} aria-expanded={replying}>
              Reply
            </button>
          )}
          {mayDelete && <button type="button" className="link-btn link-btn-danger" onClick={remove}>Delete</button>}
        </div>
        {replying && (
          <CommentComposer
            articleId={comment.articleId}
            parentId={comment.id}
            placeholder={`Reply to ${comment.author.name}`}
            autoFocus
            onCancel={() => setReplying(false)}
            onPosted={() => {
              setReplying(false);
              onChanged();
            }}
          />
        )}
        {children}
      </div>
    </li>
  );
}
