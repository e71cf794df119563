import { AppError } from '../../pkg/errors/app-error.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { ArticleStatus, type Article } from '../article/article.domain.js';
import { articleSummaries } from '../article/article.summaries.js';
import type { ArticleService } from '../article/article.service.js';
import type { UserService } from '../user/user.service.js';
import type { SearchCache } from './search.cache.js';
import type { SearchDao } from './search.dao.js';
import { QUERY_MAX, QUERY_TERMS_MAX } from './search.domain.js';
import { SearchCodes } from './search.errors.js';
import { queryTermsOf, termsOf } from './search.segmenter.js';

export interface SearchHit {
  id: number;
  title: string;
  abstract: string;
  tags: string[];
  author: { id: number; name: string };
  ctime: number;
  utime: number;
}

/** Articles per round trip when the index catches up. */
const CATCH_UP_BATCH = 200;

/**
 * Full-text search over published articles. The index is derived data: `reindex(id)`
 * makes an article's row match the committed readers' copy, whatever event prompted it,
 * so it is idempotent and insensitive to event order; queries are filtered against the
 * published table as well, so a lagging index can show stale words but never a withdrawn article.
 */
export class SearchService {
  constructor(
    private readonly dao: SearchDao,
    private readonly cache: SearchCache,
    private readonly articles: ArticleService,
    private readonly users: UserService,
    private readonly logger: Logger,
  ) {}

  async reindex(articleId: number): Promise<void> {
    const copy = await this.articles.readersCopy(articleId);
    if (!copy) return; // never published: nothing indexed, nothing to remove
    if (copy.status === ArticleStatus.published) await this.dao.put(await this.docOf(copy));
    else await this.dao.remove(articleId, copy.utime);
    await this.cache.bump();
  }

  /** After a rename: every published article of the author again, with the author's words as they are now. */
  async reindexAuthor(uid: number): Promise<number> {
    const ids = await this.dao.publishedIdsOf(uid);
    for (const id of ids) await this.reindex(id);
    return ids.length;
  }

  /** `offset`/`limit` paging; `next` is the offset of the following page, null on the last. */
  async search(query: string, offset: number, limit: number): Promise<{ list: SearchHit[]; next: number | null }> {
    const terms = this.termsOfQuery(query);
    const ids = await this.matching(terms, offset, limit + 1);
    const page = ids.slice(0, limit);
    const found = await this.articles.publishedMany(page);
    const articles = page.map((id) => found.get(id)).filter((a): a is Article => a !== undefined);
    return { list: await articleSummaries(articles, this.users), next: ids.length > limit ? offset + limit : null };
  }

  /** One page of matching ids: from the cache while the index has not changed since it was computed. */
  private async matching(terms: string[], offset: number, limit: number): Promise<number[]> {
    const generation = await this.cache.generation();
    const cached = await this.cache.getPage(generation, terms, offset, limit);
    if (cached) return cached;
    const ids = await this.dao.search(terms, offset, limit);
    await this.cache.setPage(generation, terms, offset, limit, ids);
    return ids;
  }

  /**
   * Indexes the published articles the index lacks: all of them on the first start after
   * the migration or on a seeded database (rows written without events), the rest of an
   * interrupted catch-up, a publish whose event died with an in-process bus. Stops between
   * batches when aborted; running it again is safe.
   */
  async catchUp(signal?: AbortSignal): Promise<number> {
    let count = 0;
    for (let after = 0; !signal?.aborted; ) {
      const ids = await this.dao.missingPublished(after, CATCH_UP_BATCH);
      for (const id of ids) await this.reindex(id);
      count += ids.length;
      if (ids.length < CATCH_UP_BATCH) break;
      after = ids.at(-1)!;
    }
    if (count > 0) this.logger.info({ severity: 'P3', count }, 'search index caught up with published articles');
    return count;
  }

  private termsOfQuery(query: string): string[] {
    const trimmed = query.trim();
    if (Array.from(trimmed).length > QUERY_MAX) throw new AppError(SearchCodes.queryTooLong, { fields: { q: SearchCodes.queryTooLong.msg } });
    const terms = queryTermsOf(trimmed, QUERY_TERMS_MAX);
    if (terms.length === 0) throw new AppError(SearchCodes.emptyQuery, { fields: { q: SearchCodes.emptyQuery.msg } });
    return terms;
  }

  /** The author's own nickname; not the "user <id>" placeholder, which would make "user" match every such author. */
  private async nicknameOf(uid: number): Promise<string> {
    try {
      return (await this.users.profile(uid)).nickname;
    } catch (err) {
      if (err instanceof AppError && err.kind === 'not_found') return '';
      throw err;
    }
  }

  private async docOf(a: Article) {
    return {
      articleId: a.id,
      titleTerms: termsOf(a.title),
      bodyTerms: termsOf(a.content),
      tagTerms: a.tags.flatMap(termsOf),
      authorTerms: termsOf(await this.nicknameOf(a.authorId)),
      version: a.utime,
    };
  }
}
