import { Link } from '../lib/router';
import { compact, plainText, timeAgo } from '../lib/format';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { Tags } from './Tags';

export interface CardArticle {
  id: number;
  title: string;
  abstract: string;
  author: { id: number; name: string };
  /** When it appeared (published, or collected). */
  at: number;
  readCnt?: number;
  likeCnt?: number;
  collectCnt?: number;
  tags?: string[];
}

/** One article in a feed: who, when, the title, the first lines, the counters. */
export function ArticleCard({ article }: { article: CardArticle }) {
  const { author } = article;
  return (
    <article className="card article-card">
      <div className="card-meta">
        <Avatar id={author.id} name={author.name} size={24} />
        <span className="author-name">{author.name}</span>
        <span className="dot" aria-hidden="true">·</span>
        <time dateTime={new Date(article.at).toISOString()}>{timeAgo(article.at)}</time>
      </div>
      <h2 className="card-title">
        <Link to={`/post/${article.id}`}>{article.title}</Link>
      </h2>
      {article.abstract && <p className="card-abstract">{plainText(article.abstract)}</p>}
      {article.tags && <Tags tags={article.tags} />}
      {article.readCnt !== undefined && (
        <div className="card-stats" aria-label="Counters">
          <span title="Reads"><Icon name="eye" size={16} /> {compact(article.readCnt)}<span className="sr-only"> reads</span></span>
          <span title="Likes"><Icon name="heart" size={16} /> {compact(article.likeCnt ?? 0)}<span className="sr-only"> likes</span></span>
          <span title="Collections"><Icon name="star" size={16} /> {compact(article.collectCnt ?? 0)}<span className="sr-only"> collections</span></span>
        </div>
      )}
    </article>
  );
}

export function CardSkeleton({ count = 3 }: { count?: number }) {
  return (
    <div aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="card article-card skeleton-card">
          <div className="skeleton" style={{ width: '30%' }} />
          <div className="skeleton skeleton-title" style={{ width: '75%' }} />
          <div className="skeleton" style={{ width: '95%' }} />
          <div className="skeleton" style={{ width: '60%' }} />
        </div>
      ))}
    </div>
  );
}
