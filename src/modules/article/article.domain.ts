/** Article status, as the original numbers it. */
export const ArticleStatus = {
  /** Written, not (re)published: the author's copy differs from what readers see, if anything. */
  draft: 1,
  published: 2,
  /** Withdrawn by its author: readers get 404. */
  private: 3,
} as const;
export type ArticleStatus = (typeof ArticleStatus)[keyof typeof ArticleStatus];

export const TITLE_MAX = 256;
/** Characters; a long technical article is ~30k. Stored as MEDIUMTEXT on MySQL. */
export const CONTENT_MAX = 100_000;
export const ABSTRACT_LENGTH = 128;
/** The author's first page is cached whole; lists go up to this many. */
export const LIST_MAX = 100;

export interface Article {
  id: number;
  authorId: number;
  title: string;
  /** Markdown, stored exactly as written; pages render it sanitised. */
  content: string;
  /** Normalised (article.tags.ts); part of the published copy. */
  tags: string[];
  status: ArticleStatus;
  ctime: number;
  utime: number;
}

export interface ArticleSummary {
  id: number;
  title: string;
  abstract: string;
  status: ArticleStatus;
  ctime: number;
  utime: number;
}

export interface ArticleDraft {
  /** Absent or 0: a new article. */
  id?: number;
  title: string;
  content: string;
  /** Already normalised. Absent: a new article has none, an existing one keeps its own. */
  tags?: string[];
}

/**
 * The first ABSTRACT_LENGTH characters of the text, whitespace collapsed. Counted in
 * code points, so an emoji or a CJK character is never cut in half.
 */
export function abstractOf(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= ABSTRACT_LENGTH ? flat : `${chars.slice(0, ABSTRACT_LENGTH).join('')}…`;
}

export const summaryOf = (a: Article): ArticleSummary => ({
  id: a.id,
  title: a.title,
  abstract: abstractOf(a.content),
  status: a.status,
  ctime: a.ctime,
  utime: a.utime,
});
