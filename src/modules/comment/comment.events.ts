/** A comment was written; the feed tells the article's author and the author of the comment answered. */
export const COMMENT_CREATED = 'comment.created';

export interface CommentCreated {
  id: number;
  articleId: number;
  articleAuthorId: number;
  /** Who wrote it. */
  uid: number;
  rootId: number;
  parentId: number;
  /** Author of the parent comment; 0 for a top-level comment. */
  parentAuthorId: number;
  /** The first characters of the content, for the notification. */
  excerpt: string;
  at: number;
}
