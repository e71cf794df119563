import { useEffect } from 'react';
import type { FeedEntry } from '../api/types';
import { api, unwrap } from '../api/client';
import { isMissingRoute } from '../api/optional';
import { Avatar } from '../components/Avatar';
import { CardSkeleton } from '../components/ArticleCard';
import { EmptyState, ErrorState, Loading, messageOf } from '../components/Feedback';
import { Icon, type IconName } from '../components/Icon';
import { timeAgo } from '../lib/format';
import { Link } from '../lib/router';
import { usePaged } from '../lib/use-paged';
import { RequireLogin } from './RequireLogin';

type Kind = 'article' | 'like' | 'comment' | 'follow';

function useFeed(kinds: Kind[]) {
  return usePaged(async (cursor) => {
    // One kind per request on the server; the notification page asks for everything and filters.
    const kind = kinds.length === 1 ? kinds[0] : undefined;
    const page = await unwrap(api.GET('/feed', { params: { query: { limit: '20', ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}) } } }));
    return { items: page.items.filter((i) => kinds.includes(i.kind as Kind)), next: page.nextCursor };
  }, [kinds.join()]);
}

/** What happened, in words: "Ada liked <title>", "Grace followed you". */
function describe(item: FeedEntry): { icon: IconName; verb: string } {
  switch (item.kind) {
    case 'like':
      return { icon: 'heart', verb: item.biz === 'comment' ? 'liked your comment on' : 'liked' };
    case 'comment':
      return { icon: 'file', verb: 'commented on' };
    case 'follow':
      return { icon: 'user', verb: 'followed you' };
    default:
      return { icon: 'pen', verb: 'published' };
  }
}

function FeedRow({ item }: { item: FeedEntry }) {
  const { icon, verb } = describe(item);
  return (
    <li className="feed-row">
      <Avatar id={item.actor.id} name={item.actor.name} size={36} />
      <div className="feed-row-body">
        <div>
          <strong>{item.actor.name}</strong> <span className="muted">{verb}</span>
          {item.articleId !== undefined && <> <Link to={`/post/${item.articleId}`}>{item.title ?? 'your article'}</Link></>}
        </div>
        {item.excerpt && <p className="feed-excerpt">“{item.excerpt}”</p>}
        <span className="muted small"><Icon name={icon} size={13} /> {timeAgo(item.ctime)}</span>
      </div>
    </li>
  );
}

function FeedList({ kinds, empty }: { kinds: Kind[]; empty: { title: string; text: string } }) {
  const feed = useFeed(kinds);
  if (feed.loading && !feed.data) return kinds.includes('article') ? <CardSkeleton count={3} /> : <Loading />;
  if (feed.error && isMissingRoute(feed.error)) return <EmptyState title="Not available on this server" />;
  if (feed.error) return <ErrorState error={feed.error} onRetry={feed.reload} />;
  const items = feed.data?.items ?? [];
  if (items.length === 0 && !feed.hasMore) return <EmptyState icon="user" title={empty.title}>{empty.text}</EmptyState>;
  return (
    <>
      <ul className="card feed-rows">{items.map((item, i) => <FeedRow key={`${item.kind}-${item.ctime}-${i}`} item={item} />)}</ul>
      {feed.hasMore && (
        <div className="feed-more">
          <button type="button" className="btn" onClick={feed.loadMore} disabled={feed.more.busy}>{feed.more.busy ? 'Loading…' : 'Show more'}</button>
        </div>
      )}
      {feed.more.error !== undefined && <p className="form-error" role="alert">{messageOf(feed.more.error)}</p>}
    </>
  );
}

/** The home page's "Following" tab: what the people you follow published. */
export function FollowingFeed() {
  return <FeedList kinds={['article']} empty={{ title: 'Nothing from people you follow yet', text: 'Follow authors from their articles: what they publish shows up here.' }} />;
}

/** /notifications: likes, comments and new followers on your content. */
export function Notifications() {
  useEffect(() => {
    document.title = 'Notifications · Webook';
  }, []);
  return (
    <RequireLogin>
      <div className="container narrow">
        <div className="section-head"><h1>Notifications</h1></div>
        <FeedList kinds={['like', 'comment', 'follow']} empty={{ title: 'No notifications yet', text: 'Likes, comments and new followers appear here.' }} />
      </div>
    </RequireLogin>
  );
}
