import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 03 (articles). */
export const ArticleCodes = defineCodes({
  // Also for another author's article: its existence is not revealed.
  notFound: { code: 403001, kind: 'not_found', msg: 'article not found', severity: 'P3' },
  notPublished: { code: 403002, kind: 'conflict', msg: 'this article has never been published', severity: 'P3' },
  emptyContent: { code: 403003, kind: 'invalid', msg: 'an article needs content before it is published', severity: 'P3' },
});
