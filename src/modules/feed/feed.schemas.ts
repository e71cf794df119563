import { Type } from 'typebox';
import { CURSOR_PATTERN, FEED_PAGE_MAX, FeedKind } from './feed.domain.js';

export const FeedQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ pattern: CURSOR_PATTERN, errorMessage: 'must be the nextCursor of the previous page' })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', errorMessage: `must be an integer from 1 to ${FEED_PAGE_MAX}` })),
    kind: Type.Optional(Type.Union(Object.values(FeedKind).map((k) => Type.Literal(k)), { errorMessage: `must be one of ${Object.values(FeedKind).join(', ')}` })),
  },
  { additionalProperties: false },
);

export const FeedItemData = Type.Object({
  kind: Type.String({ description: 'article: someone you follow published; like / comment: on your content; follow: someone followed you' }),
  actor: Type.Object({ id: Type.Integer(), name: Type.String() }, { description: 'who did it' }),
  ctime: Type.Integer({ description: 'epoch ms' }),
  articleId: Type.Optional(Type.Integer()),
  title: Type.Optional(Type.String({ description: 'article: its current title' })),
  commentId: Type.Optional(Type.Integer()),
  excerpt: Type.Optional(Type.String({ description: 'comment: its first characters, plain text' })),
  biz: Type.Optional(Type.String({ description: 'like: article or comment' })),
  bizId: Type.Optional(Type.Integer({ description: 'like: the id of what was liked' })),
});

export const FeedPage = Type.Object({
  items: Type.Array(FeedItemData),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as cursor for the next page; null: no more' }),
});
