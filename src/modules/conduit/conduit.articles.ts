import type { Clock } from '../../pkg/clock/clock.js';
import { CONTENT_MAX, TITLE_MAX, type Article } from '../article/article.domain.js';
import type { ArticleService } from '../article/article.service.js';
import type { PublishedFilter } from '../article/article.dao.js';
import { Biz } from '../interactive/interactive.domain.js';
import type { InteractiveService } from '../interactive/interactive.service.js';
import type { FollowService } from '../follow/follow.service.js';
import type { ConduitDao } from './conduit.dao.js';
import { BLANK, ConduitError, DESCRIPTION_MAX, FAVORITES_SCAN_MAX, idOfSlug, isoTime, slugOf, type ConduitProfile } from './conduit.domain.js';
import type { ConduitUsers } from './conduit.users.js';

export interface ArticleInput {
  title?: string;
  description?: string;
  body?: string;
  tagList?: string[];
}

export interface ConduitArticle {
  slug: string;
  title: string;
  description: string;
  body: string;
  tagList: string[];
  createdAt: string;
  updatedAt: string;
  favorited: boolean;
  favoritesCount: number;
  author: ConduitProfile;
}

export interface ListQuery {
  tag?: string;
  author?: string;
  favorited?: string;
  offset: number;
  limit: number;
}

/**
 * Conduit articles over Webook's published articles: a slug names one (conduit.domain.ts),
 * a favorite is a like, creating publishes, deleting withdraws (docs/conduit.md).
 */
export class ConduitArticles {
  constructor(
    private readonly deps: {
      dao: ConduitDao;
      articles: ArticleService;
      interactive: InteractiveService;
      follows: FollowService;
      users: ConduitUsers;
      clock: Clock;
    },
  ) {}

  /** The published article a slug names; 404 for a withdrawn, unknown or outdated slug. */
  async find(slug: string): Promise<Article> {
    const id = idOfSlug(slug);
    const article = id === undefined ? undefined : (await this.deps.articles.publishedMany([id])).get(id);
    if (!article || slugOf(article.title, article.id) !== slug) throw new ConduitError(404, { article: ['not found'] });
    return article;
  }

  /** Counts a read, as Webook's reader page does (batched through the event bus). */
  async get(slug: string, viewer: number): Promise<ConduitArticle> {
    const article = await this.find(slug);
    this.deps.articles.recordRead(article.id, viewer);
    return (await this.views([article], viewer))[0]!;
  }

  async create(uid: number, input: ArticleInput): Promise<ConduitArticle> {
    const { title = '', description = '', body = '' } = input;
    checkFields({ title, description, body });
    const id = await this.deps.articles.publish(uid, { title, content: body, tags: input.tagList ?? [] }, (tx, article) =>
      this.deps.dao.upsertDescription(tx, article.id, description, article.utime),
    );
    return this.byId(id, uid);
  }

  /** Only the author; absent fields keep what readers see now. */
  async update(uid: number, slug: string, input: ArticleInput): Promise<ConduitArticle> {
    const current = await this.mine(uid, slug);
    checkFields(input);
    const { description } = input;
    const draft = { id: current.id, title: input.title ?? current.title, content: input.body ?? current.content, tags: input.tagList ?? current.tags };
    await this.deps.articles.publish(uid, draft, description === undefined ? undefined : (tx, article) => this.deps.dao.upsertDescription(tx, article.id, description, article.utime));
    return this.byId(current.id, uid);
  }

  /** A withdrawal: readers get 404 from now on; the author keeps the article (private) on Webook. */
  async delete(uid: number, slug: string): Promise<void> {
    const current = await this.mine(uid, slug);
    await this.deps.articles.withdraw(uid, current.id);
  }

  async favorite(uid: number, slug: string, yes: boolean): Promise<ConduitArticle> {
    const article = await this.find(slug);
    await this.deps.interactive.like(uid, Biz.article, article.id, yes);
    return (await this.views([article], uid))[0]!;
  }

  /** Filters combine (all must hold); an unknown author or favoriting user matches nothing. */
  async list(query: ListQuery, viewer: number): Promise<{ articles: ConduitArticle[]; articlesCount: number }> {
    const filter: PublishedFilter = { ...(query.tag !== undefined && { tag: query.tag }) };
    if (query.author !== undefined) filter.authorIds = await this.uids(query.author);
    if (query.favorited !== undefined) {
      const [fan] = await this.uids(query.favorited);
      filter.ids = fan === undefined ? [] : await this.deps.interactive.likedIds(fan, Biz.article, FAVORITES_SCAN_MAX);
    }
    return this.page(filter, query, viewer);
  }

  /** Articles by the authors the reader follows, last published first. */
  async feed(uid: number, paging: { offset: number; limit: number }): Promise<{ articles: ConduitArticle[]; articlesCount: number }> {
    return this.page({ authorIds: await this.deps.follows.followeeIds(uid) }, paging, uid);
  }

  /** Article views as viewer (0: anonymous) sees them, in the order given. */
  async views(list: Article[], viewer: number): Promise<ConduitArticle[]> {
    const ids = list.map((a) => a.id);
    const { interactive, dao, users } = this.deps;
    const [counters, liked, descriptions, authors] = await Promise.all([
      interactive.countersOf(Biz.article, ids),
      interactive.likedAmong(viewer, Biz.article, ids),
      dao.descriptionsOf(ids),
      users.profiles(list.map((a) => a.authorId), viewer),
    ]);
    return list.map((a, i) => ({
      slug: slugOf(a.title, a.id),
      title: a.title,
      description: descriptions.get(a.id) ?? '',
      body: a.content,
      tagList: a.tags,
      createdAt: isoTime(a.ctime),
      updatedAt: isoTime(a.utime),
      favorited: liked.has(a.id),
      favoritesCount: counters[i]!.likeCnt,
      author: authors.get(a.authorId)!,
    }));
  }

  private async page(filter: PublishedFilter, paging: { offset: number; limit: number }, viewer: number) {
    const { list, total } = await this.deps.articles.publishedWhere(filter, paging.offset, paging.limit);
    return { articles: await this.views(list, viewer), articlesCount: total };
  }

  private async uids(username: string): Promise<number[]> {
    const uid = await this.deps.users.uidOf(username);
    return uid === undefined ? [] : [uid];
  }

  /** The article behind a slug, if uid wrote it: someone else's is a 403 (Conduit says so; Webook's own API says 404). */
  private async mine(uid: number, slug: string): Promise<Article> {
    const article = await this.find(slug);
    if (article.authorId !== uid) throw new ConduitError(403, { article: ['forbidden'] });
    return article;
  }

  private async byId(id: number, viewer: number): Promise<ConduitArticle> {
    return (await this.views([await this.deps.articles.published(id)], viewer))[0]!;
  }
}

/** The fields given must not be blank (a new article gives all three); lengths as Webook's. */
function checkFields(input: ArticleInput): void {
  const errors: Record<string, string[]> = {};
  for (const field of ['title', 'description', 'body'] as const) {
    const value = input[field];
    if (value !== undefined && value.trim() === '') errors[field] = [BLANK];
  }
  if (input.title && Array.from(input.title).length > TITLE_MAX) errors.title = [`is too long (maximum is ${TITLE_MAX} characters)`];
  if (input.description && Array.from(input.description).length > DESCRIPTION_MAX) errors.description = [`is too long (maximum is ${DESCRIPTION_MAX} characters)`];
  if (input.body && Array.from(input.body).length > CONTENT_MAX) errors.body = [`is too long (maximum is ${CONTENT_MAX} characters)`];
  if (Object.keys(errors).length > 0) throw new ConduitError(422, errors);
}
