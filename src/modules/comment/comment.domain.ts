/** Characters (code points) of a comment, counted after trimming. */
export const COMMENT_MAX = 2000;
/** What a request may carry before trimming: surrounding whitespace does not count against COMMENT_MAX. */
export const COMMENT_RAW_MAX = 2 * COMMENT_MAX;
/** A page of comments or replies holds at most this many. */
export const COMMENT_PAGE_MAX = 100;

export interface Comment {
  id: number;
  articleId: number;
  /** Copied from the article at creation: the article's author may delete any comment under it. */
  articleAuthorId: number;
  /** Who wrote it. */
  uid: number;
  /** 0 for a top-level comment; otherwise the top-level comment of its thread. */
  rootId: number;
  /** 0 for a top-level comment; otherwise the comment it answers (the root or another reply). */
  parentId: number;
  content: string;
  /** On a top-level comment: how many replies its thread holds (at any depth). 0 on replies. */
  replyCnt: number;
  ctime: number;
  utime: number;
}

/** A comment as a list shows it to one reader. */
export interface CommentView {
  id: number;
  articleId: number;
  author: { id: number; name: string };
  content: string;
  rootId: number;
  parentId: number;
  replyCnt: number;
  likeCnt: number;
  liked: boolean;
  ctime: number;
}

/** A page of a cursor-paged list: nextCursor goes in the next request; null when there is no more. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The thread a comment belongs to: its root's id (itself when it is a root). */
export const threadOf = (c: Pick<Comment, 'id' | 'rootId'>) => (c.rootId === 0 ? c.id : c.rootId);

/** Trimmed content, or null when it is empty or longer than COMMENT_MAX code points. */
export function cleanContent(raw: string): string | null {
  const trimmed = raw.trim();
  const length = [...trimmed].length;
  return length === 0 || length > COMMENT_MAX ? null : trimmed;
}

/**
 * The ids of `from` and of every reply beneath it, given a thread's (id, parentId) pairs.
 * Deleting a reply deletes what answers it, as deleting a root deletes its thread.
 */
export function subtreeOf(from: number, thread: { id: number; parentId: number }[]): number[] {
  const children = new Map<number, number[]>();
  for (const c of thread) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c.id]);
  const ids: number[] = [];
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    ids.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return ids;
}
