import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { ArticleStatus, type Article, type ArticleDraft, type ArticleSummary } from './article.domain.js';
import { ArticleCodes } from './article.errors.js';
import type { EventOutbox } from '../../pkg/events/outbox.js';
import type { PublishedFilter } from './article.dao.js';
import type { AlsoInTransaction, ArticleRepository, WriteOutcome } from './article.repository.js';
import { articleOf, type RenderedArticle } from './article.render.js';
import { decodeTagCursor, encodeTagCursor, normalizeTags } from './article.tags.js';
import type { ReadRecorder } from './read-recorder.js';

/**
 * The rules of writing and reading articles. Status transitions:
 * - edit: any status -> draft (a published article keeps its readers' copy until published again);
 * - publish: any status -> published (a withdrawn article can be published again);
 * - withdraw: published or draft-after-publish -> private; an article never published -> 409;
 *   withdrawing a private article again changes nothing.
 */
export class ArticleService {
  constructor(
    private readonly repo: ArticleRepository,
    private readonly reads: ReadRecorder,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
  ) {}

  async save(authorId: number, draft: ArticleDraft): Promise<number> {
    return this.expect(await this.repo.save(authorId, withNormalTags(draft), ArticleStatus.draft, this.clock.now())).id;
  }

  /**
   * Emits `article.published` (through the outbox: see article.events.ts). `also` runs in
   * the publish's transaction (another module's row that belongs to the article).
   */
  async publish(authorId: number, draft: ArticleDraft, also?: AlsoInTransaction): Promise<number> {
    if (draft.content.trim() === '') throw new AppError(ArticleCodes.emptyContent, { fields: { content: ArticleCodes.emptyContent.msg } });
    const id = this.expect(await this.repo.save(authorId, withNormalTags(draft), ArticleStatus.published, this.clock.now(), also)).id;
    void this.outbox.relay(); // after the commit; the relay's timer retries if the bus is down
    return id;
  }

  /** Emits `article.withdrawn`. */
  async withdraw(authorId: number, id: number): Promise<void> {
    this.expect(await this.repo.withdraw(authorId, id, this.clock.now()));
    void this.outbox.relay();
  }

  /** Tags of published articles with their counts, most used first. */
  async tags(limit: number): Promise<{ name: string; count: number }[]> {
    return (await this.repo.tagCounts(limit)).map((t) => ({ name: t.tag, count: t.count }));
  }

  /**
   * Published articles with a tag, last published first; `next` is the cursor of the
   * following page (null on the last one). The tag is normalised like the author's.
   */
  async tagged(rawTag: string, cursor: string | undefined, limit: number): Promise<{ list: Article[]; next: string | null }> {
    const [tag] = normalizeTags([rawTag]);
    const list = await this.repo.listByTag(tag!, cursor === undefined ? undefined : decodeTagCursor(cursor), limit + 1);
    const more = list.length > limit;
    const page = list.slice(0, limit);
    const last = page.at(-1);
    return { list: page, next: more && last ? encodeTagCursor({ utime: last.utime, id: last.id }) : null };
  }

  /**
   * The readers' copy in whatever status it has now (published or private), straight from
   * the database; undefined when the article was never published. For consumers that
   * must act on the committed state, not on an event's (possibly stale) payload.
   */
  readersCopy(id: number): Promise<Article | undefined> {
    return this.repo.findReadersCopy(id);
  }

  listByAuthor(authorId: number, offset: number, limit: number): Promise<ArticleSummary[]> {
    return this.repo.listByAuthor(authorId, offset, limit);
  }

  async detailForAuthor(authorId: number, id: number): Promise<Article> {
    const article = await this.repo.findByAuthor(authorId, id);
    if (!article) throw new AppError(ArticleCodes.notFound);
    return article;
  }

  /** The newest published articles (last published first). */
  newest(offset: number, limit: number): Promise<Article[]> {
    return this.repo.listPublished(offset, limit);
  }

  /**
   * Published articles matching every given filter (authors, a tag as an author would
   * write it, ids), last published first, with how many match in all. An empty author or
   * id list matches nothing.
   */
  async publishedWhere(filter: PublishedFilter, offset: number, limit: number): Promise<{ list: Article[]; total: number }> {
    if (filter.authorIds?.length === 0 || filter.ids?.length === 0) return { list: [], total: 0 };
    let tag: string | undefined;
    if (filter.tag !== undefined) {
      try {
        [tag] = normalizeTags([filter.tag]);
      } catch {
        return { list: [], total: 0 }; // no article can carry a tag an author could not write
      }
    }
    return this.repo.listPublishedWhere({ ...filter, tag }, offset, limit);
  }

  /** A published article, ready for the reader page (article.render.ts). */
  async publishedPage(id: number): Promise<RenderedArticle> {
    const rendered = await this.repo.findPublished(id);
    if (!rendered) throw new AppError(ArticleCodes.notFound);
    return rendered;
  }

  /** publishedPage when the article is held in this process (Cache.held); undefined when only publishedPage can tell. */
  heldPage(id: number): RenderedArticle | undefined {
    return this.repo.heldPublished(id);
  }

  async published(id: number): Promise<Article> {
    return articleOf(await this.publishedPage(id));
  }

  /** The published ones among ids (a page of a list), by id. */
  async publishedMany(ids: number[]): Promise<Map<number, Article>> {
    const found = await Promise.all(ids.map((id) => this.repo.findPublished(id)));
    return new Map(found.filter((r): r is RenderedArticle => r !== undefined).map((r) => [r.id, articleOf(r)]));
  }

  /** Counts a read later, in a batch: the page never waits for the bus (see docs/events.md). */
  recordRead(aid: number, uid: number): void {
    this.reads.record(aid, uid, this.clock.now());
  }

  private expect(outcome: WriteOutcome): Article {
    if (outcome.ok) return outcome.article;
    throw new AppError(outcome.reason === 'not_found' ? ArticleCodes.notFound : ArticleCodes.notPublished);
  }
}

const withNormalTags = (draft: ArticleDraft): ArticleDraft => (draft.tags === undefined ? draft : { ...draft, tags: normalizeTags(draft.tags) });
