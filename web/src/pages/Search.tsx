import { useEffect, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { isMissingRoute } from '../api/optional';
import { ArticleCard, CardSkeleton } from '../components/ArticleCard';
import { EmptyState, ErrorState, messageOf } from '../components/Feedback';
import { useRouter } from '../lib/router';
import { usePaged } from '../lib/use-paged';

const PAGE = '10';

function Results({ q }: { q: string }) {
  const results = usePaged(async (offset) => {
    const page = await unwrap(api.GET('/search', { params: { query: { q, limit: PAGE, ...(offset ? { offset } : {}) } } }));
    return { items: page.list, next: page.next === null ? null : String(page.next) };
  }, [q]);

  if (results.loading && !results.data) return <CardSkeleton count={3} />;
  if (results.error && isMissingRoute(results.error)) return <EmptyState icon="search" title="Search is not available on this server" />;
  if (results.error) return <ErrorState error={results.error} onRetry={results.reload} />;
  const items = results.data?.items ?? [];
  if (items.length === 0) {
    return <EmptyState icon="search" title={`Nothing found for "${q}"`}>Try fewer or different words: every word must appear in the article.</EmptyState>;
  }
  return (
    <div className="feed">
      {items.map((a) => (
        <ArticleCard key={a.id} article={{ ...a, at: a.utime }} />
      ))}
      {results.hasMore && (
        <div className="feed-more">
          <button type="button" className="btn" onClick={results.loadMore} disabled={results.more.busy}>{results.more.busy ? 'Loading…' : 'More results'}</button>
        </div>
      )}
      {results.more.error !== undefined && <p className="form-error" role="alert">{messageOf(results.more.error)}</p>}
    </div>
  );
}

/** /find?q=...: published articles containing every word (GET /search underneath). */
export function Search() {
  const { location, navigate } = useRouter();
  const q = (location.search.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  useEffect(() => {
    document.title = q ? `${q} · Search · Webook` : 'Search · Webook';
  }, [q]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) navigate(`/find?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <div className="container narrow">
      <h1 className="sr-only">Search</h1>
      <form className="search-form" role="search" onSubmit={submit}>
        <label className="sr-only" htmlFor="search-page-q">Search articles</label>
        <input id="search-page-q" type="search" placeholder="Search articles, tags, authors" value={text} onChange={(e) => setText(e.target.value)} autoFocus={!q} />
        <button type="submit" className="btn btn-primary">Search</button>
      </form>
      {q ? <Results q={q} /> : <EmptyState icon="search" title="What are you looking for?">Search titles, content, tags and authors.</EmptyState>}
    </div>
  );
}

/** /tag/:name: published articles with one tag, newest first. */
export function TagPage({ tag }: { tag: string }) {
  const articles = usePaged(async (cursor) => {
    const page = await unwrap(api.GET('/articles/pub/tagged', { params: { query: { tag, limit: PAGE, ...(cursor ? { cursor } : {}) } } }));
    return { items: page.list, next: page.next };
  }, [tag]);
  useEffect(() => {
    document.title = `#${tag} · Webook`;
  }, [tag]);
  const items = articles.data?.items ?? [];
  return (
    <div className="container narrow">
      <div className="section-head"><h1>#{tag}</h1></div>
      {articles.loading && !articles.data ? (
        <CardSkeleton count={3} />
      ) : articles.error ? (
        <ErrorState error={articles.error} onRetry={articles.reload} />
      ) : items.length === 0 ? (
        <EmptyState icon="file" title={`No articles tagged #${tag} yet`} />
      ) : (
        <div className="feed">
          {items.map((a) => (
            <ArticleCard key={a.id} article={{ ...a, at: a.utime }} />
          ))}
          {articles.hasMore && (
            <div className="feed-more">
              <button type="button" className="btn" onClick={articles.loadMore} disabled={articles.more.busy}>{articles.more.busy ? 'Loading…' : 'Show more'}</button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
