import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { ArticleStatus, type MyArticleSummary } from '../api/types';
import { EmptyState, ErrorState, Loading, messageOf } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { StatusBadge } from '../components/StatusBadge';
import { plainText, timeAgo } from '../lib/format';
import { Link, useRouter } from '../lib/router';
import { useToast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { RequireLogin } from './RequireLogin';

const PAGE = 10;

function Row({ article, onWithdrawn }: { article: MyArticleSummary; onWithdrawn(): void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const withdraw = async () => {
    if (!window.confirm(`Withdraw "${article.title}"? Readers will no longer see it; you can publish it again later.`)) return;
    setBusy(true);
    try {
      await unwrap(api.POST('/articles/withdraw', { body: { id: article.id } }));
      toast('Withdrawn: readers can no longer see it.');
      onWithdrawn();
    } catch (err) {
      toast(messageOf(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="mine-row">
      <div className="mine-main">
        <div className="mine-title-line">
          <StatusBadge status={article.status} />
          <Link to={`/write/${article.id}`} className="mine-title">{article.title}</Link>
        </div>
        {article.abstract && <p className="mine-abstract">{plainText(article.abstract)}</p>}
        <span className="muted small">Last changed {timeAgo(article.utime)}</span>
      </div>
      <div className="mine-actions">
        <Link to={`/write/${article.id}`} className="btn btn-sm"><Icon name="pen" size={15} /> Edit</Link>
        {article.status === ArticleStatus.published && (
          <>
            <Link to={`/post/${article.id}`} className="btn btn-sm btn-ghost">View</Link>
            <button type="button" className="btn btn-sm btn-danger-ghost" onClick={withdraw} disabled={busy}>
              {busy ? 'Withdrawing…' : 'Withdraw'}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

function Pager({ page, hasNext, onPage }: { page: number; hasNext: boolean; onPage(p: number): void }) {
  if (page === 1 && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>← Newer</button>
      <span className="muted">Page {page}</span>
      <button type="button" className="btn btn-sm" disabled={!hasNext} onClick={() => onPage(page + 1)}>Older →</button>
    </nav>
  );
}

function List() {
  const { location, navigate } = useRouter();
  const page = Math.max(1, Number(location.search.get('page')) || 1);
  // One more than a page: tells whether an "Older" page exists without a count query.
  const list = useAsync(() => unwrap(api.POST('/articles/list', { body: { offset: (page - 1) * PAGE, limit: PAGE + 1 } })), [page]);

  if (list.loading) return <Loading label="Loading your articles…" />;
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  const rows = list.data ?? [];
  if (rows.length === 0 && page === 1) {
    return (
      <EmptyState icon="pen" title="You have not written anything yet" action={<Link to="/write" className="btn btn-primary">Write your first article</Link>}>
        Drafts stay private until you publish them.
      </EmptyState>
    );
  }
  return (
    <>
      {rows.length === 0 ? (
        <EmptyState title="No more articles">This page is past your last article.</EmptyState>
      ) : (
        <ul className="card mine-list">
          {rows.slice(0, PAGE).map((a) => <Row key={a.id} article={a} onWithdrawn={list.reload} />)}
        </ul>
      )}
      <Pager page={page} hasNext={rows.length > PAGE} onPage={(p) => navigate(p === 1 ? '/creator' : `/creator?page=${p}`)} />
    </>
  );
}

export function MyArticles() {
  useEffect(() => {
    document.title = 'My articles · Webook';
  }, []);
  return (
    <RequireLogin>
      <div className="container narrow">
        <div className="section-head">
          <h1>My articles</h1>
          <Link to="/write" className="btn btn-primary btn-sm"><Icon name="plus" size={16} /> New article</Link>
        </div>
        <List />
      </div>
    </RequireLogin>
  );
}
