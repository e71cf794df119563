import { Type } from 'typebox';
import { Author } from '../article/article.schemas.js';
import { COMMENT_MAX, COMMENT_PAGE_MAX, COMMENT_RAW_MAX } from './comment.domain.js';

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorMessage: 'must be a positive integer id' });
/** Ids in a query string: digits only (no coercion surprises like "1e3"). */
const IdString = Type.String({ pattern: '^[1-9][0-9]{0,15}$', errorMessage: 'must be a positive integer id' });
const Limit = Type.String({ pattern: '^([1-9][0-9]?|100)$', errorMessage: `must be an integer from 1 to ${COMMENT_PAGE_MAX}` });
const Cursor = Type.String({ pattern: '^[1-9][0-9]{0,15}$', errorMessage: 'must be the nextCursor of the previous page' });

export const CreateCommentBody = Type.Object(
  {
    articleId: Id,
    // The limit holds after trimming (the service checks it); the schema only bounds what is parsed.
    content: Type.String({ minLength: 1, maxLength: COMMENT_RAW_MAX, pattern: '\\S', errorMessage: `must be 1 to ${COMMENT_MAX} characters, not only spaces` }),
    parentId: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, errorMessage: 'must be 0 (a top-level comment) or the id of the comment answered' })),
  },
  { additionalProperties: false },
);

export const CommentIdBody = Type.Object({ id: Id }, { additionalProperties: false });

export const LikeCommentBody = Type.Object({ id: Id, like: Type.Boolean({ errorMessage: 'must be true or false' }) }, { additionalProperties: false });

export const RootsQuery = Type.Object({ articleId: IdString, cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) }, { additionalProperties: false });

export const RepliesQuery = Type.Object({ rootId: IdString, cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) }, { additionalProperties: false });

export const CommentData = Type.Object({
  id: Type.Integer(),
  articleId: Type.Integer(),
  author: Author,
  content: Type.String({ description: 'plain text as written (trimmed): escape it when showing it' }),
  rootId: Type.Integer({ description: '0 for a top-level comment, else the top-level comment of its thread' }),
  parentId: Type.Integer({ description: '0 for a top-level comment, else the comment it answers' }),
  replyCnt: Type.Integer({ description: 'replies in the thread (top-level comments; 0 on replies)' }),
  likeCnt: Type.Integer(),
  liked: Type.Boolean({ description: 'whether the logged-in reader liked it (false when anonymous)' }),
  ctime: Type.Integer({ description: 'epoch ms' }),
});

export const CommentPage = Type.Object({
  items: Type.Array(CommentData),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null: no more' }),
});

export const CreatedComment = Type.Object({ id: Type.Integer(), rootId: Type.Integer(), parentId: Type.Integer(), ctime: Type.Integer() });
