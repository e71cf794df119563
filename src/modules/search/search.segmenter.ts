import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { MAX_TERM_LENGTH } from '../../pkg/db/fulltext.js';

/**
 * Words of a text, for the full-text index and for queries (both must be cut alike, or a
 * Chinese word in the query would not meet the same word in an article).
 *
 * Chinese has no spaces between words, and none of the three engines segments it out of
 * the box (SQLite's unicode61 and InnoDB split on spaces and punctuation only; PostgreSQL's
 * parser takes a run of CJK as one word). jieba (`@node-rs/jieba`, the segmenter most
 * Chinese search stacks use, with its dictionary) does. An article is indexed in jieba's
 * search mode, which adds the shorter words inside a long one ("分布式系统的一致性" ->
 * 分布 布式 系统 分布式 分布式系统 的 一致 一致性), so a query for 一致 or 分布式系统 finds
 * it; a query is cut in the ordinary (precise) mode, whose words are always among those.
 * Latin text is split at spaces and punctuation as usual. Each word is then cut again at
 * anything but letters, digits and combining marks ("node.js" -> node js), so every engine
 * sees plain tokens and no query syntax ever reaches one; text is NFKC-normalised and
 * lower-cased first.
 */
let jieba: Jieba | undefined;
/** Loaded on first use (about a third of a second and some 60 MB): a process that never searches never pays. */
const segmenter = () => (jieba ??= Jieba.withDict(dict));
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/u;

function plainTerms(words: string[]): string[] {
  const terms: string[] = [];
  for (const word of words) {
    for (const part of word.split(NOT_WORD)) {
      // Longer runs are not words (hashes, base64): an engine would drop or truncate them.
      if (part !== '' && part.length <= MAX_TERM_LENGTH) terms.push(part);
    }
  }
  return terms;
}

const normal = (text: string) => text.normalize('NFKC').toLowerCase();

/** The terms an article's text is indexed under. */
export function termsOf(text: string): string[] {
  return plainTerms(segmenter().cutForSearch(normal(text), true));
}

/** The distinct terms of a query, in order, at most `max`. */
export function queryTermsOf(query: string, max: number): string[] {
  return [...new Set(plainTerms(segmenter().cut(normal(query), true)))].slice(0, max);
}
