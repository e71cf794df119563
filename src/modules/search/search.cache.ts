import { createHash } from 'node:crypto';
import type { Cache } from '../../pkg/cache/cache.js';

/** A cached page lives at most this long even if the index does not change. */
const RESULT_TTL_MS = 60_000;
const GENERATION_KEY = 'search:gen';

/**
 * Result pages (the article ids of one query's page), keyed by the index's generation: a
 * counter the indexer bumps after every change to the index. A change therefore makes
 * every cached page unreachable at once (they expire unread), so a cached answer is never
 * older than the index. What it buys: a query repeated while nothing was indexed costs two
 * cache reads instead of a full-text query, which for a word in most articles is the
 * difference between a fraction of a millisecond and hundreds (docs/benchmarks.md).
 */
export class SearchCache {
  constructor(private readonly cache: Cache) {}

  generation(): Promise<string> {
    return this.cache.get(GENERATION_KEY).then((g) => g ?? '0');
  }

  /** After the index changed (after its commit). */
  async bump(): Promise<void> {
    await this.cache.incrBy(GENERATION_KEY, 1);
  }

  async getPage(generation: string, terms: string[], offset: number, limit: number): Promise<number[] | null> {
    const raw = await this.cache.get(SearchCache.key(generation, terms, offset, limit));
    return raw === null ? null : (JSON.parse(raw) as number[]);
  }

  async setPage(generation: string, terms: string[], offset: number, limit: number, ids: number[]): Promise<void> {
    await this.cache.set(SearchCache.key(generation, terms, offset, limit), JSON.stringify(ids), RESULT_TTL_MS);
  }

  /** Terms can be long: the key holds their hash. */
  private static key(generation: string, terms: string[], offset: number, limit: number): string {
    const digest = createHash('sha1').update(`${terms.join(' ')}|${offset}|${limit}`).digest('base64url');
    return `search:page:${generation}:${digest}`;
  }
}
