import type { CommentService } from '../comment/comment.service.js';
import { BLANK, COMMENTS_MAX, ConduitError, isoTime, type ConduitProfile } from './conduit.domain.js';
import type { ConduitArticles } from './conduit.articles.js';
import type { ConduitUsers } from './conduit.users.js';

export interface ConduitComment {
  id: number;
  createdAt: string;
  updatedAt: string;
  body: string;
  author: ConduitProfile;
}

const PAGE = 100;

/**
 * Conduit comments are Webook's top-level comments (replies stay in Webook's threads).
 * Deleting one takes its thread with it; the article's author may delete any of them.
 */
export class ConduitComments {
  constructor(
    private readonly comments: CommentService,
    private readonly articles: ConduitArticles,
    private readonly users: ConduitUsers,
  ) {}

  /** Newest first, at most COMMENTS_MAX (Conduit has no paging), read through Webook's cursor pages. */
  async list(slug: string, viewer: number): Promise<ConduitComment[]> {
    const article = await this.articles.find(slug);
    const items: { id: number; authorId: number; content: string; ctime: number }[] = [];
    let cursor: number | undefined;
    do {
      const page = await this.comments.roots(article.id, viewer, cursor, Math.min(PAGE, COMMENTS_MAX - items.length));
      items.push(...page.items.map((c) => ({ id: c.id, authorId: c.author.id, content: c.content, ctime: c.ctime })));
      cursor = page.nextCursor === null ? undefined : Number(page.nextCursor);
    } while (cursor !== undefined && items.length < COMMENTS_MAX);
    const authors = await this.users.profiles(items.map((c) => c.authorId), viewer);
    return items.map((c) => view(c, authors.get(c.authorId)!));
  }

  async add(uid: number, slug: string, body: string | undefined): Promise<ConduitComment> {
    if (!body || body.trim() === '') throw new ConduitError(422, { body: [BLANK] });
    const article = await this.articles.find(slug);
    const created = await this.comments.create(uid, { articleId: article.id, content: body });
    return view({ id: created.id, authorId: uid, content: created.content, ctime: created.ctime }, await this.users.profile(uid, uid));
  }

  /** Someone else's comment is a 403, a comment under another article a 404. */
  async delete(uid: number, slug: string, id: number): Promise<void> {
    const article = await this.articles.find(slug);
    await this.comments.delete(uid, id, { articleId: article.id });
  }
}

const view = (c: { id: number; authorId: number; content: string; ctime: number }, author: ConduitProfile): ConduitComment => ({
  id: c.id,
  createdAt: isoTime(c.ctime),
  // Webook comments are never edited.
  updatedAt: isoTime(c.ctime),
  body: c.content,
  author,
});
