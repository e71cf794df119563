import { useEffect, useMemo, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import type { PublishedArticle } from '../api/types';
import { Avatar } from '../components/Avatar';
import { CollectDialog } from '../components/CollectDialog';
import { Comments } from '../components/comments/Comments';
import { FollowButton } from '../components/FollowButton';
import { Tags } from '../components/Tags';
import { ErrorState, Loading, messageOf } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { useAuth } from '../lib/auth';
import { compact, formatDate, readingMinutes } from '../lib/format';
import { renderMarkdown } from '../lib/markdown';
import { Link, useRouter } from '../lib/router';
import { useToast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { NotFound } from './NotFound';

type Update = (change: (a: PublishedArticle) => PublishedArticle) => void;

/** Like and collect: the page changes at once, the server is told, and a failure puts it back. */
function Actions({ article, update }: { article: PublishedArticle; update: Update }) {
  const { user } = useAuth();
  const { navigate, location } = useRouter();
  const toast = useToast();
  const [choosing, setChoosing] = useState(false);
  const needLogin = () => {
    if (user) return false;
    navigate(`/login?next=${encodeURIComponent(location.path)}`);
    return true;
  };

  const like = async () => {
    if (needLogin()) return;
    const liked = !article.liked;
    const flip = (on: boolean) => update((a) => ({ ...a, liked: on, likeCnt: a.likeCnt + (on ? 1 : -1) }));
    flip(liked);
    try {
      await unwrap(api.POST('/articles/pub/like', { body: { id: article.id, like: liked } }));
    } catch (err) {
      flip(!liked);
      toast(messageOf(err), 'error');
    }
  };

  const uncollect = async () => {
    update((a) => ({ ...a, collected: false, collectCnt: a.collectCnt - 1 }));
    try {
      await unwrap(api.POST('/articles/pub/uncollect', { body: { id: article.id } }));
      toast('Removed from your collections');
    } catch (err) {
      update((a) => ({ ...a, collected: true, collectCnt: a.collectCnt + 1 }));
      toast(messageOf(err), 'error');
    }
  };

  return (
    <div className="article-actions" aria-label="Article actions">
      <button type="button" className={article.liked ? 'action action-on action-like' : 'action action-like'} aria-pressed={article.liked} onClick={like}>
        <Icon name="heart" filled={article.liked} />
        <span className="action-label">{article.liked ? 'Liked' : 'Like'}</span>
        <span className="action-count" data-testid="like-count">{compact(article.likeCnt)}</span>
      </button>
      <button
        type="button"
        className={article.collected ? 'action action-on action-collect' : 'action action-collect'}
        aria-pressed={article.collected}
        onClick={() => (needLogin() ? undefined : article.collected ? void uncollect() : setChoosing(true))}
      >
        <Icon name="star" filled={article.collected} />
        <span className="action-label">{article.collected ? 'Collected' : 'Collect'}</span>
        <span className="action-count" data-testid="collect-count">{compact(article.collectCnt)}</span>
      </button>
      {choosing && (
        <CollectDialog
          articleId={article.id}
          onClose={() => setChoosing(false)}
          onCollected={(folder) => {
            setChoosing(false);
            update((a) => ({ ...a, collected: true, collectCnt: a.collectCnt + (a.collected ? 0 : 1) }));
            toast(`Saved to "${folder}"`);
          }}
        />
      )}
    </div>
  );
}

function Article({ article, update }: { article: PublishedArticle; update: Update }) {
  const html = useMemo(() => renderMarkdown(article.content), [article.content]);
  const edited = article.utime - article.ctime > 60_000;
  return (
    <article className="card reader">
      <h1 className="reader-title">{article.title}</h1>
      <div className="reader-byline">
        <Avatar id={article.author.id} name={article.author.name} size={40} />
        <div>
          <div className="author-name">{article.author.name}</div>
          <div className="muted small">
            <time dateTime={new Date(article.ctime).toISOString()}>{formatDate(article.ctime)}</time>
            {edited && <> · updated {formatDate(article.utime)}</>} · {readingMinutes(article.content)} min read ·{' '}
            <span data-testid="read-count">{compact(article.readCnt)}</span> reads
          </div>
        </div>
        <FollowButton uid={article.author.id} name={article.author.name} />
      </div>
      <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      <Tags tags={article.tags ?? []} />
      <Actions article={article} update={update} />
    </article>
  );
}

export function ArticlePage({ id }: { id: string }) {
  const valid = /^[1-9][0-9]{0,15}$/.test(id);
  const page = useAsync(() => (valid ? unwrap(api.GET('/articles/pub/{id}', { params: { path: { id } } })) : Promise.reject(new ApiError(404, 0, 'Not found'))), [id]);
  useEffect(() => {
    if (page.data) document.title = `${page.data.title} · Webook`;
  }, [page.data]);

  if (page.loading) return <Loading label="Loading the article…" />;
  if (page.error instanceof ApiError && page.error.notFound) {
    return <NotFound title="Article not found" text="It may have been withdrawn by its author, or the link is wrong." />;
  }
  if (page.error || !page.data) return <div className="container narrow"><ErrorState error={page.error} onRetry={page.reload} /></div>;
  return (
    <div className="container narrow">
      <Article article={page.data} update={(change) => page.setData((a) => (a ? change(a) : a))} />
      <Comments articleId={page.data.id} articleAuthorId={page.data.author.id} />
      <p className="reader-back"><Link to="/">← More articles</Link></p>
    </div>
  );
}
