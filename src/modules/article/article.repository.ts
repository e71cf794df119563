import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTransaction } from '../../pkg/db/transaction.js';
import type { ArticleCache } from './article.cache.js';
import type { ArticleDao, PublishedFilter } from './article.dao.js';
import { ArticleStatus, LIST_MAX, summaryOf, type Article, type ArticleDraft, type ArticleSummary } from './article.domain.js';
import { ARTICLE_PUBLISHED, ARTICLE_WITHDRAWN, publishedEventId, withdrawnEventId, type ArticlePublished, type ArticleWithdrawn } from './article.events.js';
import type { EventOutbox } from '../../pkg/events/outbox.js';
import { render, type RenderedArticle } from './article.render.js';
import { TAG_LIST_MAX, type TagCursor } from './article.tags.js';

/** Another module's write that belongs to the article's (e.g. a Conduit description): same transaction. */
export type AlsoInTransaction = (tx: Kysely<DB>, article: Article) => Promise<void>;

/** What a write found: the article was not this author's, was never published, or is done. */
export type WriteOutcome = { ok: true; article: Article } | { ok: false; reason: 'not_found' | 'not_published' };

/**
 * Articles as the service sees them. Each write is one transaction over both tables
 * (and the outbox row of its lifecycle event); cache writes come after the commit, never
 * before, so a cache never shows what the database did not keep.
 */
export class ArticleRepository {
  constructor(
    private readonly dao: ArticleDao,
    private readonly cache: ArticleCache,
    private readonly outbox: EventOutbox,
  ) {}

  /** Creates or updates the author's copy; the readers' copy is untouched until the next publish. */
  async save(authorId: number, draft: ArticleDraft, status: ArticleStatus, now: number, also?: AlsoInTransaction): Promise<WriteOutcome> {
    const outcome = await inTransaction(this.dao.db, async (tx): Promise<WriteOutcome> => {
      let id = draft.id ?? 0;
      if (id === 0) id = await this.dao.insert(tx, authorId, draft, status, now);
      else if (!(await this.dao.update(tx, id, authorId, draft, status, now))) return { ok: false, reason: 'not_found' };
      const article = (await this.dao.findByAuthor(tx, id, authorId))!;
      if (status === ArticleStatus.published) {
        await this.dao.upsertPublished(tx, article);
        const event: ArticlePublished = { id, authorId, title: article.title, at: article.utime };
        await this.outbox.add(tx, { eventId: publishedEventId(id, article.utime), topic: ARTICLE_PUBLISHED, payload: event }, now);
      }
      if (also) await also(tx, article);
      return { ok: true, article };
    });
    if (outcome.ok) {
      await this.cache.deleteFirstPage(authorId);
      if (status === ArticleStatus.published) {
        await this.cache.setPublished(outcome.article);
        await this.cache.deleteTagCounts();
      }
    }
    return outcome;
  }

  /** Both copies become private; an article never published has no readers' copy to hide. */
  async withdraw(authorId: number, id: number, now: number): Promise<WriteOutcome> {
    const outcome = await inTransaction(this.dao.db, async (tx): Promise<WriteOutcome> => {
      const article = await this.dao.findByAuthor(tx, id, authorId);
      if (!article) return { ok: false, reason: 'not_found' };
      const copy = await this.dao.findPublishedCopy(tx, id);
      if (!copy) return { ok: false, reason: 'not_published' };
      await this.dao.setStatus(tx, id, authorId, ArticleStatus.private, now);
      // Withdrawing a private article again is no news.
      if (copy.status !== ArticleStatus.private) {
        const event: ArticleWithdrawn = { id, authorId, at: now };
        await this.outbox.add(tx, { eventId: withdrawnEventId(id, now), topic: ARTICLE_WITHDRAWN, payload: event }, now);
      }
      return { ok: true, article: { ...article, status: ArticleStatus.private, utime: now } };
    });
    if (outcome.ok) {
      await this.cache.setWithdrawn(id);
      await this.cache.deleteFirstPage(authorId);
      await this.cache.deleteTagCounts();
    }
    return outcome;
  }

  findByAuthor(authorId: number, id: number): Promise<Article | undefined> {
    return this.dao.findByAuthor(this.dao.db, id, authorId);
  }

  /** The first page (up to LIST_MAX) comes from the cache when it can. */
  async listByAuthor(authorId: number, offset: number, limit: number): Promise<ArticleSummary[]> {
    if (offset === 0 && limit <= LIST_MAX) {
      const cached = await this.cache.getFirstPage(authorId);
      if (cached) return cached.slice(0, limit);
      const page = (await this.dao.listByAuthor(authorId, 0, LIST_MAX)).map(summaryOf);
      await this.cache.setFirstPage(authorId, page);
      return page.slice(0, limit);
    }
    return (await this.dao.listByAuthor(authorId, offset, limit)).map(summaryOf);
  }

  listPublished(offset: number, limit: number): Promise<Article[]> {
    return this.dao.listPublished(offset, limit);
  }

  async listPublishedWhere(filter: PublishedFilter, offset: number, limit: number): Promise<{ list: Article[]; total: number }> {
    const [list, total] = await Promise.all([this.dao.listPublishedWhere(filter, offset, limit), this.dao.countPublishedWhere(filter)]);
    return { list, total };
  }

  /** The most used tags (up to TAG_LIST_MAX), from a copy at most a minute old. */
  async tagCounts(limit: number): Promise<{ tag: string; count: number }[]> {
    let counts = await this.cache.getTagCounts();
    if (!counts) {
      counts = await this.dao.tagCounts(TAG_LIST_MAX);
      await this.cache.setTagCounts(counts);
    }
    return counts.slice(0, limit);
  }

  listByTag(tag: string, after: TagCursor | undefined, limit: number): Promise<Article[]> {
    return this.dao.listByTag(tag, after, limit);
  }

  /** The readers' copy in any status, straight from the database, never the cache. */
  findReadersCopy(id: number): Promise<Article | undefined> {
    return this.dao.findPublishedCopy(this.dao.db, id);
  }

  /** findPublished when the cache holds the article in this process; undefined otherwise. */
  heldPublished(id: number): RenderedArticle | undefined {
    return this.cache.heldPublished(id);
  }

  /** What readers see, serialised for their page; misses are remembered briefly too. */
  async findPublished(id: number): Promise<RenderedArticle | undefined> {
    const cached = await this.cache.getPublished(id);
    if (cached !== undefined) return cached ?? undefined;
    const article = await this.dao.findPublished(id);
    if (!article) {
      await this.cache.fillMissing(id);
      return undefined;
    }
    const rendered = render(article);
    await this.cache.fillPublished(rendered);
    return rendered;
  }
}
