import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { hotList, isMissingRoute, type HotArticle } from '../api/optional';
import { tagPath } from '../components/Tags';
import type { PublishedSummary } from '../api/types';
import { ArticleCard, CardSkeleton } from '../components/ArticleCard';
import { EmptyState, ErrorState, Loading, messageOf } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { useAuth } from '../lib/auth';
import { compact } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { FollowingFeed } from './Feed';

const PAGE = 10;

/** The newest articles, a page at a time ("Show more" appends the next page). */
function NewestFeed() {
  const [pages, setPages] = useState(1);
  const [more, setMore] = useState<{ loading: boolean; error?: unknown }>({ loading: false });
  const first = useAsync(() => unwrap(api.GET('/articles/pub/newest', { params: { query: { offset: '0', limit: String(PAGE) } } })), []);

  const showMore = async () => {
    setMore({ loading: true });
    try {
      const next = await unwrap(api.GET('/articles/pub/newest', { params: { query: { offset: String(pages * PAGE), limit: String(PAGE) } } }));
      first.setData((old) => [...(old ?? []), ...next]);
      setPages(pages + 1);
      setMore({ loading: false });
    } catch (error) {
      setMore({ loading: false, error });
    }
  };

  if (first.loading) return <CardSkeleton count={4} />;
  if (first.error) return <ErrorState error={first.error} onRetry={first.reload} />;
  const list: PublishedSummary[] = first.data ?? [];
  if (list.length === 0) {
    return (
      <EmptyState title="Nothing published yet" icon="pen" action={<Link to="/write" className="btn btn-primary">Write the first article</Link>}>
        Articles appear here as soon as their authors publish them.
      </EmptyState>
    );
  }
  const mayHaveMore = list.length === pages * PAGE;
  return (
    <div className="feed">
      {list.map((a) => (
        <ArticleCard key={a.id} article={{ ...a, at: a.utime }} />
      ))}
      {more.error !== undefined && <p className="form-error" role="alert">{messageOf(more.error)}</p>}
      {mayHaveMore && (
        <div className="feed-more">
          <button type="button" className="btn" onClick={showMore} disabled={more.loading}>
            {more.loading ? <Loading label="Loading more…" block={false} /> : 'Show more'}
          </button>
        </div>
      )}
    </div>
  );
}

function HotItem({ article, rank }: { article: HotArticle; rank: number }) {
  return (
    <li className="hot-item">
      <span className={rank <= 3 ? 'hot-rank hot-rank-top' : 'hot-rank'}>{rank}</span>
      <div>
        <Link to={`/post/${article.id}`} className="hot-title">{article.title}</Link>
        <div className="hot-meta">
          {article.author && <span>{article.author.name}</span>}
          {article.likeCnt !== undefined && (
            <span><Icon name="heart" size={13} /> {compact(article.likeCnt)}</span>
          )}
        </div>
      </div>
    </li>
  );
}

/** The hot list; hidden (with a note) when the server has no ranking yet. */
function HotList() {
  const hot = useAsync(() => hotList(10), []);
  return (
    <section className="panel" aria-labelledby="hot-heading">
      <h2 id="hot-heading" className="panel-title"><Icon name="fire" /> Hot this week</h2>
      {hot.loading ? (
        <Loading label="Loading the hot list…" block={false} />
      ) : hot.error ? (
        <p className="muted">{messageOf(hot.error)}</p>
      ) : hot.data === null ? (
        <p className="muted">The hot list is not available on this server yet.</p>
      ) : hot.data!.length === 0 ? (
        <p className="muted">No hot articles yet: likes and reads decide what shows up here.</p>
      ) : (
        <ol className="hot-list">
          {hot.data!.map((a, i) => <HotItem key={a.id} article={a} rank={i + 1} />)}
        </ol>
      )}
    </section>
  );
}

/** The most used tags; nothing at all when there are none (or the server has no tags). */
function PopularTags() {
  const tags = useAsync(() => unwrap(api.GET('/tags', { params: { query: { limit: '20' } } })).catch((err: unknown) => (isMissingRoute(err) ? [] : Promise.reject(err))), []);
  if (!tags.data || tags.data.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="tags-heading">
      <h2 id="tags-heading" className="panel-title">Popular tags</h2>
      <ul className="tags">
        {tags.data.map((t) => (
          <li key={t.name}>
            <Link className="tag" to={tagPath(t.name)}>#{t.name}<span className="tag-count">{t.count}</span></Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Welcome() {
  const { user } = useAuth();
  if (user !== null) return null;
  return (
    <section className="panel panel-welcome">
      <h2 className="panel-title">Write. Read. Grow.</h2>
      <p>Webook is where engineers share what they learned: deep dives, postmortems, tutorials.</p>
      <Link to="/signup" className="btn btn-primary btn-block">Join Webook</Link>
    </section>
  );
}

/** Newest for everyone; "Following" (?tab=following) for a logged-in reader. */
function Tabs({ following }: { following: boolean }) {
  const { user } = useAuth();
  if (!user) return <h1 id="feed-heading"><Icon name="clock" /> Newest</h1>;
  return (
    <>
      <h1 id="feed-heading" className="sr-only">{following ? 'Following' : 'Newest'}</h1>
      <nav className="tabs" aria-label="Home feeds">
        <Link to="/" aria-current={following ? undefined : 'page'}>Newest</Link>
        <Link to="/?tab=following" aria-current={following ? 'page' : undefined}>Following</Link>
      </nav>
    </>
  );
}

export function Home() {
  const { location } = useRouter();
  const { user } = useAuth();
  const following = Boolean(user) && location.search.get('tab') === 'following';
  useEffect(() => {
    document.title = 'Webook: articles by engineers';
  }, []);
  return (
    <div className="container layout-two">
      <section aria-labelledby="feed-heading" className="layout-main">
        <div className="section-head">
          <Tabs following={following} />
        </div>
        {following ? <FollowingFeed /> : <NewestFeed />}
      </section>
      <aside className="layout-side">
        <Welcome />
        <HotList />
        <PopularTags />
      </aside>
    </div>
  );
}
