import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 06 (comments). */
export const CommentCodes = defineCodes({
  notFound: { code: 406001, kind: 'not_found', msg: 'comment not found', severity: 'P3' },
  notYours: { code: 406002, kind: 'forbidden', msg: "only the comment's author or the article's author may delete it", severity: 'P3' },
  badContent: { code: 406003, kind: 'invalid', msg: 'a comment is 1 to 2000 characters, not only spaces', severity: 'P3' },
  otherArticle: { code: 406004, kind: 'invalid', msg: 'the comment you reply to is under another article', severity: 'P3' },
});
