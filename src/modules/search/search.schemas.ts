import { Type } from 'typebox';
import { LIMIT_MAX, OFFSET_MAX } from './search.domain.js';

/** q is checked by the service (empty, too long) so those answers carry search's own codes. */
export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 1000, errorMessage: 'a search is at most 100 characters' })),
    offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,2}|1000)$', errorMessage: `must be an integer from 0 to ${OFFSET_MAX}` })),
    limit: Type.Optional(Type.String({ pattern: '^([1-9]|[1-4][0-9]|50)$', errorMessage: `must be an integer from 1 to ${LIMIT_MAX}` })),
  },
  { additionalProperties: false },
);

export const SearchHitData = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  abstract: Type.String(),
  tags: Type.Array(Type.String()),
  author: Type.Object({ id: Type.Integer(), name: Type.String() }),
  ctime: Type.Integer({ description: 'first published, epoch ms' }),
  utime: Type.Integer({ description: 'last published, epoch ms' }),
});

export const SearchResultData = Type.Object({
  list: Type.Array(SearchHitData),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'offset of the next page; null on the last' }),
});
