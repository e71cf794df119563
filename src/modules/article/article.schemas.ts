import { Type } from 'typebox';
import { CONTENT_MAX, LIST_MAX, TITLE_MAX } from './article.domain.js';

/** An id in a body: a positive integer JavaScript can hold exactly. */
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorMessage: 'must be a positive integer id' });

/** An id in a path: digits only (paths are strings; no coercion surprises like "1e3"). */
export const IdParam = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,15}$', errorMessage: 'must be a positive integer id' }) });

export const Paging = {
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, errorMessage: 'must be an integer from 0 to 1000000' }),
  limit: Type.Integer({ minimum: 1, maximum: LIST_MAX, errorMessage: `must be an integer from 1 to ${LIST_MAX}` }),
};

/** Paging in a query string: digits only, turned into numbers by the route. */
export const PagingQuery = Type.Object(
  {
    offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,5}|1000000)$', errorMessage: 'must be an integer from 0 to 1000000' })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', errorMessage: `must be an integer from 1 to ${LIST_MAX}` })),
  },
  { additionalProperties: false },
);

const Title = Type.String({ minLength: 1, maxLength: TITLE_MAX, pattern: '\\S', errorMessage: `must be 1 to ${TITLE_MAX} characters, not only spaces` });
const Content = Type.String({ maxLength: CONTENT_MAX, errorMessage: `must be at most ${CONTENT_MAX} characters of Markdown` });

/** Bounds the input only; the tag rules (article.tags.ts) are checked after normalising. */
const TagsInput = Type.Array(Type.String({ maxLength: 64, errorMessage: 'each tag must be a string of at most 32 characters' }), {
  maxItems: 20,
  errorMessage: 'must be a list of at most 5 tags',
});

export const DraftBody = Type.Object(
  {
    id: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, errorMessage: 'must be 0 (new) or an article id' })),
    title: Title,
    content: Content,
    tags: Type.Optional(TagsInput),
  },
  { additionalProperties: false },
);

export const IdBody = Type.Object({ id: Id }, { additionalProperties: false });

export const ListBody = Type.Object(Paging, { additionalProperties: false });

export const LikeBody = Type.Object({ id: Id, like: Type.Boolean({ errorMessage: 'must be true or false' }) }, { additionalProperties: false });

export const CollectBody = Type.Object({ id: Id, cid: Id }, { additionalProperties: false });

const Status = Type.Integer({ description: '1 draft, 2 published, 3 private (withdrawn)' });

export const IdData = Type.Object({ id: Type.Integer() });

export const ArticleSummaryData = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  abstract: Type.String(),
  status: Status,
  ctime: Type.Integer(),
  utime: Type.Integer(),
});

const Tags = Type.Array(Type.String(), { description: 'normalised: lower-case, trimmed, at most 5' });

export const AuthorArticleData = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  content: Type.String({ description: 'Markdown, as written' }),
  tags: Tags,
  status: Status,
  ctime: Type.Integer(),
  utime: Type.Integer(),
});

export const Author = Type.Object({ id: Type.Integer(), name: Type.String() });

export const PublishedArticleData = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  content: Type.String({ description: 'Markdown, as written: render it sanitised' }),
  tags: Tags,
  author: Author,
  ctime: Type.Integer({ description: 'first published, epoch ms' }),
  utime: Type.Integer({ description: 'last published, epoch ms' }),
  readCnt: Type.Integer(),
  likeCnt: Type.Integer(),
  collectCnt: Type.Integer(),
  liked: Type.Boolean(),
  collected: Type.Boolean(),
});

export const CollectedArticleData = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  abstract: Type.String(),
  author: Author,
  collectedAt: Type.Integer({ description: 'epoch ms' }),
});

export const PublishedSummaryData = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  abstract: Type.String(),
  tags: Tags,
  author: Author,
  ctime: Type.Integer(),
  utime: Type.Integer(),
  readCnt: Type.Integer(),
  likeCnt: Type.Integer(),
  collectCnt: Type.Integer(),
});

export const TagCountData = Type.Object({ name: Type.String(), count: Type.Integer({ description: 'published articles with this tag' }) });

export const TagsQuery = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', errorMessage: 'must be an integer from 1 to 100' })) },
  { additionalProperties: false },
);

export const TaggedQuery = Type.Object(
  {
    tag: Type.String({ minLength: 1, maxLength: 64, errorMessage: 'must be a tag' }),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}\\.[0-9]{1,16}$', errorMessage: 'must be the cursor of the previous page' })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|100)$', errorMessage: `must be an integer from 1 to ${LIST_MAX}` })),
  },
  { additionalProperties: false },
);
