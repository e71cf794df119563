/** How fast a score decays with age: Hacker News's gravity. */
export const GRAVITY = 1.5;
const HOUR_MS = 3_600_000;

/**
 * The hot score, as the original (Hacker News's formula):
 *
 *     (likeCnt - 1) / (hoursSincePublish + 2) ^ 1.5
 *
 * - The "- 1" discounts one like, as HN discounts the submitter's own vote.
 * - Zero likes: the numerator is clamped at 0, so 0 and 1 like both score 0. Unclamped,
 *   -1 / (h + 2)^1.5 would rise toward 0 with age and rank an old unliked article above
 *   a fresh one; clamped, such ties fall to the tie-break (newer first, see rankOrder).
 * - The "+ 2" keeps a brand-new article from dividing by ~0; a publish time in the
 *   future (clock skew between instances) counts as age 0.
 * - The score only falls as time passes and only rises with likes.
 */
export function hotScore(likeCnt: number, publishedAt: number, now: number): number {
  const hours = Math.max(0, now - publishedAt) / HOUR_MS;
  return Math.max(likeCnt - 1, 0) / Math.pow(hours + 2, GRAVITY);
}

/** What ordering needs of a ranked article. */
export interface Rankable {
  id: number;
  score: number;
  /** First publication. */
  ctime: number;
}

/**
 * The hot list's total order: higher score first, then the newer publication, then the
 * higher id. Total, so the heap and a full sort always agree on the same top N.
 * Negative when a ranks before b.
 */
export function rankOrder(a: Rankable, b: Rankable): number {
  return b.score - a.score || b.ctime - a.ctime || b.id - a.id;
}
