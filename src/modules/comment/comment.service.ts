import type { Clock } from '../../pkg/clock/clock.js';
import { AppError } from '../../pkg/errors/app-error.js';
import type { ArticleService } from '../article/article.service.js';
import { Biz } from '../interactive/interactive.domain.js';
import type { InteractiveService } from '../interactive/interactive.service.js';
import type { UserService } from '../user/user.service.js';
import { cleanContent, type Comment, type CommentView, type Page } from './comment.domain.js';
import { CommentCodes } from './comment.errors.js';
import type { CommentCreated } from './comment.events.js';
import type { CommentRepository } from './comment.repository.js';

export interface CommentServiceDeps {
  repo: CommentRepository;
  articles: ArticleService;
  interactive: InteractiveService;
  users: UserService;
  clock: Clock;
  /** Told of every new comment after its commit. */
  onCreated: (event: CommentCreated) => Promise<void>;
}

const EXCERPT_LENGTH = 128;

/**
 * Threaded comments on published articles. Shaped for any web layer (ours under
 * /comments, a Conduit one later): everything is addressed by article id and comment id.
 */
export class CommentService {
  constructor(private readonly deps: CommentServiceDeps) {}

  /** A top-level comment (parentId absent or 0) or a reply to parentId, under a published article. */
  async create(uid: number, input: { articleId: number; content: string; parentId?: number }): Promise<Comment> {
    const { repo, articles, clock } = this.deps;
    const content = cleanContent(input.content);
    if (content === null) throw new AppError(CommentCodes.badContent, { fields: { content: CommentCodes.badContent.msg } });
    const article = await articles.published(input.articleId); // 404 unless readers can see it
    const fields = { articleId: article.id, articleAuthorId: article.authorId, uid, content };
    let parent: Comment | undefined;
    let created: Comment | undefined;
    if (!input.parentId) {
      created = await repo.createRoot(fields, clock.now());
    } else {
      parent = await repo.find(input.parentId);
      if (!parent) throw new AppError(CommentCodes.notFound, { fields: { parentId: CommentCodes.notFound.msg } });
      if (parent.articleId !== article.id) throw new AppError(CommentCodes.otherArticle, { fields: { parentId: CommentCodes.otherArticle.msg } });
      created = await repo.createReply(fields, parent, clock.now());
      if (!created) throw new AppError(CommentCodes.notFound, { fields: { parentId: CommentCodes.notFound.msg } });
    }
    await this.deps.onCreated({
      id: created.id,
      articleId: created.articleId,
      articleAuthorId: created.articleAuthorId,
      uid,
      rootId: created.rootId,
      parentId: created.parentId,
      parentAuthorId: parent?.uid ?? 0,
      excerpt: [...content].slice(0, EXCERPT_LENGTH).join(''),
      at: created.ctime,
    });
    return created;
  }

  /**
   * Its author may delete a comment, and so may the article's author; anybody else gets
   * 403. With articleId, a comment under another article is not found. Returns how many
   * comments went (a root takes its thread).
   */
  async delete(uid: number, id: number, opts: { articleId?: number } = {}): Promise<number> {
    const comment = await this.deps.repo.find(id);
    if (!comment || (opts.articleId !== undefined && comment.articleId !== opts.articleId)) throw new AppError(CommentCodes.notFound);
    if (comment.uid !== uid && comment.articleAuthorId !== uid) throw new AppError(CommentCodes.notYours);
    return this.deps.repo.delete(comment, this.deps.clock.now());
  }

  find(id: number): Promise<Comment | undefined> {
    return this.deps.repo.find(id);
  }

  /** Which of ids were not deleted (a feed hides notifications about deleted comments). */
  existing(ids: number[]): Promise<Set<number>> {
    return this.deps.repo.existing([...new Set(ids)]);
  }

  /** Top-level comments of a published article, newest first; cursor = the last id seen. */
  async roots(articleId: number, viewer: number, cursor: number | undefined, limit: number): Promise<Page<CommentView>> {
    await this.deps.articles.published(articleId);
    return this.page(await this.deps.repo.roots(articleId, cursor, limit + 1), viewer, limit);
  }

  /** A thread's replies, oldest first (a conversation reads in order); cursor = the last id seen. */
  async replies(rootId: number, viewer: number, cursor: number | undefined, limit: number): Promise<Page<CommentView>> {
    const root = await this.deps.repo.find(rootId);
    if (!root || root.rootId !== 0) throw new AppError(CommentCodes.notFound);
    await this.deps.articles.published(root.articleId);
    return this.page(await this.deps.repo.replies(rootId, cursor, limit + 1), viewer, limit);
  }

  /** Like (like: true) a comment under a published article, or unlike any; idempotent both ways. */
  async like(uid: number, id: number, like: boolean): Promise<void> {
    if (like) {
      const comment = await this.deps.repo.find(id);
      if (!comment) throw new AppError(CommentCodes.notFound);
      await this.deps.articles.published(comment.articleId);
    }
    await this.deps.interactive.like(uid, Biz.comment, id, like);
  }

  /** One row more than the page was fetched: its presence says whether there is a next page. */
  private async page(rows: Comment[], viewer: number, limit: number): Promise<Page<CommentView>> {
    const items = rows.slice(0, limit);
    const ids = items.map((c) => c.id);
    const { interactive, users } = this.deps;
    const [counters, liked, names] = await Promise.all([
      interactive.countersOf(Biz.comment, ids),
      interactive.likedAmong(viewer, Biz.comment, ids),
      Promise.all([...new Set(items.map((c) => c.uid))].map(async (id) => [id, await users.displayName(id)] as const)).then((pairs) => new Map(pairs)),
    ]);
    return {
      items: items.map((c, i) => ({
        id: c.id,
        articleId: c.articleId,
        author: { id: c.uid, name: names.get(c.uid)! },
        content: c.content,
        rootId: c.rootId,
        parentId: c.parentId,
        replyCnt: c.replyCnt,
        likeCnt: counters[i]!.likeCnt,
        liked: liked.has(c.id),
        ctime: c.ctime,
      })),
      nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null,
    };
  }
}
