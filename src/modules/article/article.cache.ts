import type { Cache } from '../../pkg/cache/cache.js';
import type { Article, ArticleSummary } from './article.domain.js';
import { decodeRendered, encodeRendered, render, type RenderedArticle } from './article.render.js';

const FIRST_PAGE_TTL_MS = 10 * 60_000;
const PUBLISHED_TTL_MS = 30 * 60_000;
/** How long "no such published article" is remembered, so a scan of ids does not reach the database each time. */
const MISSING_TTL_MS = 60_000;
const MISSING = '0';
/** The tag list is a GROUP BY over every published article's tags: computed at most once a minute per key. */
const TAG_COUNTS_TTL_MS = 60_000;
const TAG_COUNTS_KEY = 'article:tags:top';

/**
 * A published key's text, decoded once per cached copy (Cache.getDecoded): the cache then
 * hands every reader the same frozen object, and with it the page bytes that
 * article.render.ts keeps per object. `undefined` for text in an older format.
 */
const decodePublished = (raw: string): Readonly<RenderedArticle> | typeof MISSING | undefined => {
  if (raw === MISSING) return MISSING;
  const rendered = decodeRendered(raw);
  return rendered && Object.freeze(rendered);
};

/**
 * The original's three article caches: the author's first list page, the published
 * article (filled on publish, so the first readers hit the cache), and the reader detail
 * read-through. Keys under `article:pub:` are near-cached in production (see ioc/backends.ts).
 */
export class ArticleCache {
  constructor(private readonly cache: Cache) {}

  private static firstPageKey = (authorId: number) => `article:first:${authorId}`;
  private static publishedKey = (id: number) => `article:pub:${id}`;

  async getFirstPage(authorId: number): Promise<ArticleSummary[] | null> {
    const raw = await this.cache.get(ArticleCache.firstPageKey(authorId));
    return raw === null ? null : (JSON.parse(raw) as ArticleSummary[]);
  }

  async setFirstPage(authorId: number, page: ArticleSummary[]): Promise<void> {
    await this.cache.set(ArticleCache.firstPageKey(authorId), JSON.stringify(page), FIRST_PAGE_TTL_MS);
  }

  async deleteFirstPage(authorId: number): Promise<void> {
    await this.cache.del(ArticleCache.firstPageKey(authorId));
  }

  /**
   * The published article, serialised for the reader page (article.render.ts); `null`
   * when known missing; `undefined` when the cache does not know.
   */
  async getPublished(id: number): Promise<RenderedArticle | null | undefined> {
    const key = ArticleCache.publishedKey(id);
    const cached = await this.cache.getDecoded(key, decodePublished);
    if (cached === null) return undefined;
    if (cached === MISSING) return null;
    if (cached?.id === id) return cached;
    // Written by an older version in another format: drop it, so the read-through fill can replace it.
    await this.cache.del(key);
    return undefined;
  }

  /** getPublished from what this process holds: the article, or undefined for anything else (missing, not held, older format). */
  heldPublished(id: number): RenderedArticle | undefined {
    const cached = this.cache.held.getDecoded(ArticleCache.publishedKey(id), decodePublished);
    return cached && cached !== MISSING && cached.id === id ? cached : undefined;
  }

  /** After publish: the new version replaces whatever was cached. */
  async setPublished(article: Article): Promise<void> {
    await this.cache.set(ArticleCache.publishedKey(article.id), encodeRendered(render(article)), PUBLISHED_TTL_MS);
  }

  /**
   * After withdraw: "missing" replaces the article instead of a plain delete, so a reader
   * that read the database just before the withdraw cannot put the article back (fills
   * only ever add to an empty key).
   */
  async setWithdrawn(id: number): Promise<void> {
    await this.cache.set(ArticleCache.publishedKey(id), MISSING, MISSING_TTL_MS);
  }

  /** Read-through fills: never overwrite, so a slow reader cannot undo a publish or withdraw. */
  async fillPublished(rendered: RenderedArticle): Promise<void> {
    await this.cache.setIfAbsent(ArticleCache.publishedKey(rendered.id), encodeRendered(rendered), PUBLISHED_TTL_MS);
  }

  async fillMissing(id: number): Promise<void> {
    await this.cache.setIfAbsent(ArticleCache.publishedKey(id), MISSING, MISSING_TTL_MS);
  }

  async getTagCounts(): Promise<{ tag: string; count: number }[] | null> {
    const raw = await this.cache.get(TAG_COUNTS_KEY);
    return raw === null ? null : (JSON.parse(raw) as { tag: string; count: number }[]);
  }

  async setTagCounts(counts: { tag: string; count: number }[]): Promise<void> {
    await this.cache.set(TAG_COUNTS_KEY, JSON.stringify(counts), TAG_COUNTS_TTL_MS);
  }

  /** After a publish or withdraw; a reader's fill racing with it can only bring back a list at most a minute old. */
  async deleteTagCounts(): Promise<void> {
    await this.cache.del(TAG_COUNTS_KEY);
  }
}
