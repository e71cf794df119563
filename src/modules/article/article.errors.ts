import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 03 (articles). */
export const ArticleCodes = defineCodes({
  // Also for another author's article: its existence is not revealed.
  notFound: { code: 403001, kind: 'not_found', msg: 'article not found', severity: 'P3' },
  notPublished: { code: 403002, kind: 'conflict', msg: 'this article has never been published', severity: 'P3' },
  emptyContent: { code: 403003, kind: 'invalid', msg: 'an article needs content before it is published', severity: 'P3' },
  tooManyTags: { code: 403004, kind: 'invalid', msg: 'at most 5 different tags', severity: 'P3' },
  badTag: { code: 403005, kind: 'invalid', msg: 'a tag is 1 to 32 letters, digits, spaces or . _ + # / -, starting with a letter or digit', severity: 'P3' },
});
