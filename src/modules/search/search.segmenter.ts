import { MAX_TERM_LENGTH } from '../../pkg/db/fulltext.js';

/**
 * Words of a text, for the full-text index and for queries alike (both must be cut the
 * same way, or a Chinese word in the query would not meet the same word in an article).
 *
 * Chinese and Japanese have no spaces between words, and none of the three engines
 * segments them out of the box (SQLite's unicode61 and InnoDB split on spaces and
 * punctuation only; PostgreSQL's parser takes a run of CJK as one word). ICU's
 * dictionary-based word break, which Node ships as `Intl.Segmenter` with granularity
 * 'word', does: "分布式系统的一致性" -> 分布 式 系统 的 一致性. Latin text is split at spaces
 * and punctuation as usual. Each word is then cut again at anything but letters, digits
 * and combining marks ("node.js" -> node js), so every engine sees plain tokens and no
 * query syntax ever reaches one; words are NFKC-normalised and lower-cased.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/u;

export function termsOf(text: string): string[] {
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (!isWordLike) continue;
    for (const part of segment.split(NOT_WORD)) {
      // Longer runs are not words (hashes, base64): an engine would drop or truncate them.
      if (part !== '' && part.length <= MAX_TERM_LENGTH) terms.push(part);
    }
  }
  return terms;
}

/** The distinct terms of a query, in order, at most `max`. */
export function queryTermsOf(query: string, max: number): string[] {
  return [...new Set(termsOf(query))].slice(0, max);
}
