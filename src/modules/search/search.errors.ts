import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 08 (search). */
export const SearchCodes = defineCodes({
  emptyQuery: { code: 408001, kind: 'invalid', msg: 'type a word to search for', severity: 'P3' },
  queryTooLong: { code: 408002, kind: 'invalid', msg: 'a search is at most 100 characters', severity: 'P3' },
});
