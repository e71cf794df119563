import { AppError } from '../../pkg/errors/app-error.js';
import { ArticleCodes } from './article.errors.js';

export const TAGS_MAX = 5;
export const TAG_LENGTH_MAX = 32;
/** GET /tags lists at most this many (the most used). */
export const TAG_LIST_MAX = 100;
/** Letters or digits first, then also marks, spaces and the signs of names like "c++", "c#", "node.js", "ci/cd". */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} ._+#/-]*$/u;

/**
 * The tags an author sent, normalised: trimmed, inner whitespace collapsed, lower-cased
 * (NFKC first, so full-width and half-width forms are one tag), duplicates dropped in
 * order. Rejects, naming `tags`, more than TAGS_MAX distinct tags or a tag that is empty,
 * longer than TAG_LENGTH_MAX characters, or has other signs.
 */
export function normalizeTags(raw: readonly string[]): string[] {
  const tags: string[] = [];
  for (const one of raw) {
    const tag = one.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
    const length = Array.from(tag).length;
    if (length === 0 || length > TAG_LENGTH_MAX || !TAG_PATTERN.test(tag)) {
      throw new AppError(ArticleCodes.badTag, { fields: { tags: `"${one.slice(0, 40)}": ${ArticleCodes.badTag.msg}` } });
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > TAGS_MAX) throw new AppError(ArticleCodes.tooManyTags, { fields: { tags: ArticleCodes.tooManyTags.msg } });
  return tags;
}

/** Tags as stored in the articles tables' `tags` column (a JSON array); tolerant of an empty column. */
export function parseTagsColumn(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
}

/** Keyset paging through a tag's articles: "<utime>.<id>" of the last one seen. */
export interface TagCursor {
  utime: number;
  id: number;
}

export const encodeTagCursor = (c: TagCursor): string => `${c.utime}.${c.id}`;

export function decodeTagCursor(raw: string): TagCursor {
  const [utime, id] = raw.split('.').map(Number);
  return { utime: utime!, id: id! };
}
