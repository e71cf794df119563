/** Characters a query may have (before segmenting); more is a 400, not a slow search. */
export const QUERY_MAX = 100;
/** Distinct words of a query that are searched for (all must match). */
export const QUERY_TERMS_MAX = 16;
/** Relevance ranking cannot be paged by keyset; OFFSET is bounded instead. */
export const OFFSET_MAX = 1000;
export const LIMIT_MAX = 50;

/** One article as the index holds it: the segmented words of each field. */
export interface SearchDoc {
  articleId: number;
  titleTerms: string[];
  bodyTerms: string[];
  tagTerms: string[];
  authorTerms: string[];
  /** The readers' copy's utime when this was read: a write never replaces a newer one. */
  version: number;
}
