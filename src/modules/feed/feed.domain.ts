/** What a feed entry says happened. */
export const FeedKind = {
  /** Someone you follow published an article. */
  article: 'article',
  /** Someone liked your article or comment. */
  like: 'like',
  /** Someone commented on your article or replied to your comment. */
  comment: 'comment',
  /** Someone followed you. */
  follow: 'follow',
} as const;
export type FeedKind = (typeof FeedKind)[keyof typeof FeedKind];

export const FEED_PAGE_MAX = 100;

/** Details of an entry, kept as JSON beside it (what a notification needs to show and link). */
export interface FeedExt {
  articleId?: number;
  title?: string;
  commentId?: number;
  excerpt?: string;
  /** For a like: what was liked. */
  biz?: string;
  bizId?: number;
}

/** A stored entry, from a reader's inbox (src 1, push) or an author's outbox (src 0, pull). */
export interface FeedRow {
  src: 0 | 1;
  id: number;
  actorId: number;
  kind: FeedKind;
  ext: FeedExt;
  ctime: number;
}

export interface FeedItem extends FeedExt {
  kind: FeedKind;
  actor: { id: number; name: string };
  ctime: number;
}

/** Position in the merged feed: newest first by time, then source, then id, so ties are stable. */
export interface FeedCursor {
  ctime: number;
  src: 0 | 1;
  id: number;
}

export const CURSOR_PATTERN = '^[0-9]{1,15}-[01]-[1-9][0-9]{0,15}$';

export const encodeCursor = (r: FeedCursor) => `${r.ctime}-${r.src}-${r.id}`;

export function decodeCursor(s: string): FeedCursor {
  const [ctime, src, id] = s.split('-').map(Number);
  return { ctime: ctime!, src: src === 1 ? 1 : 0, id: id! };
}

/** Newest first: the order of the merged feed and of its cursor. */
export const newestFirst = (a: FeedCursor, b: FeedCursor) => b.ctime - a.ctime || b.src - a.src || b.id - a.id;
