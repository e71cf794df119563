import { defineCodes } from '../../pkg/errors/app-error.js';

/** Module 04 (interactive: likes, collections, counters). */
export const InteractiveCodes = defineCodes({
  // Also for another user's folder: its existence is not revealed.
  collectionNotFound: { code: 404001, kind: 'not_found', msg: 'collection not found', severity: 'P3' },
  collectionNameTaken: { code: 404002, kind: 'conflict', msg: 'you already have a collection with this name', severity: 'P3' },
  tooManyCollections: { code: 404003, kind: 'conflict', msg: 'collection limit reached (100 per user)', severity: 'P3' },
});
