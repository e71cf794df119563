import { inTransaction } from '../../pkg/db/transaction.js';
import type { ArticleService } from '../article/article.service.js';
import type { CommentService } from '../comment/comment.service.js';
import type { FollowService } from '../follow/follow.service.js';
import type { UserService } from '../user/user.service.js';
import type { FeedDao, InboxRow } from './feed.dao.js';
import { FeedKind, encodeCursor, newestFirst, type FeedCursor, type FeedItem, type FeedRow } from './feed.domain.js';

export interface FeedServiceDeps {
  dao: FeedDao;
  follows: FollowService;
  articles: ArticleService;
  comments: CommentService;
  users: UserService;
  /** Authors with more followers than this are pulled at read time instead of pushed. */
  pushMaxFollowers: number;
}

/** Followers are read in pages of this many for a fan-out. */
const FOLLOWER_PAGE = 500;

/**
 * The feed: hybrid push/pull. An ordinary author's article is written into every
 * follower's inbox by the fan-out consumer (push: reads stay one indexed query); a popular
 * author's is only written to their outbox and merged into each follower's feed when read
 * (pull: no write storm of a million rows). Notifications about a user's own content go
 * to that one inbox. Every write is keyed by the fact (ref_key), so a redelivered event
 * adds nothing.
 */
export class FeedService {
  constructor(private readonly deps: FeedServiceDeps) {}

  /**
   * A new article: into the author's outbox, and into followers' inboxes when the author
   * has at most pushMaxFollowers. Republishing changes nothing (the first publication is
   * the feed's event). The outbox row records whether it was pushed, so reads merge
   * exactly the articles that were not, whatever the author's count is later.
   */
  async articlePublished(e: { id: number; authorId: number; title: string; at: number }): Promise<void> {
    const { dao, follows, pushMaxFollowers } = this.deps;
    const push = (await follows.counts(e.authorId)).followerCnt <= pushMaxFollowers;
    // Read before the transaction: SQLite has one connection, which the transaction holds.
    const followers = push ? await this.allFollowers(e.authorId) : [];
    const fact = { actorId: e.authorId, kind: FeedKind.article, refKey: `article:${e.id}`, ext: { articleId: e.id, title: e.title }, ctime: e.at };
    await inTransaction(dao.db, async (tx) => {
      if (!(await dao.addToOutbox(tx, { ...fact, fannedOut: push }))) return; // seen before
      await dao.addToInboxes(tx, followers.map((uid) => ({ ...fact, uid })));
    });
  }

  /** Someone liked owner's article or comment. */
  async liked(e: { owner: number; uid: number; biz: string; bizId: number; articleId: number; at: number }): Promise<void> {
    await this.notify([e.owner], { actorId: e.uid, kind: FeedKind.like, refKey: `like:${e.biz}:${e.bizId}:${e.uid}`, ext: { biz: e.biz, bizId: e.bizId, articleId: e.articleId }, ctime: e.at });
  }

  /** A comment: its article's author and the author of the comment it answers hear of it (one entry if they are one person). */
  async commented(e: { id: number; articleId: number; articleAuthorId: number; uid: number; parentAuthorId: number; excerpt: string; at: number }): Promise<void> {
    const receivers = [e.articleAuthorId, e.parentAuthorId].filter((uid) => uid > 0);
    await this.notify(receivers, { actorId: e.uid, kind: FeedKind.comment, refKey: `comment:${e.id}`, ext: { commentId: e.id, articleId: e.articleId, excerpt: e.excerpt }, ctime: e.at });
  }

  async followed(e: { followerId: number; followeeId: number; at: number }): Promise<void> {
    await this.notify([e.followeeId], { actorId: e.followerId, kind: FeedKind.follow, refKey: `follow:${e.followerId}`, ext: {}, ctime: e.at });
  }

  /**
   * A page of uid's feed, newest first: the inbox and the outboxes of followed authors
   * whose articles were not pushed, each asked for one row more than the page, merged.
   * Withdrawn articles are left out (a page may then hold fewer items; nextCursor still
   * moves on). kinds narrows it (e.g. articles only, for a Conduit feed).
   */
  async read(uid: number, cursor: FeedCursor | undefined, limit: number, kinds?: FeedKind[]): Promise<{ items: FeedItem[]; nextCursor: string | null }> {
    const { dao, follows } = this.deps;
    const followees = await follows.followeeIds(uid);
    const pulls = !kinds || kinds.includes(FeedKind.article);
    const [pushed, pulled] = await Promise.all([dao.inbox(uid, followees, cursor, limit + 1, kinds), pulls ? dao.outboxes(followees, cursor, limit + 1) : []]);
    const merged = [...pushed, ...pulled].sort(newestFirst).slice(0, limit + 1);
    const page = merged.slice(0, limit);
    return { items: await this.present(page), nextCursor: merged.length > limit ? encodeCursor(page[page.length - 1]!) : null };
  }

  /** Entries as shown: current titles and names; withdrawn articles and deleted comments left out. */
  private async present(rows: FeedRow[]): Promise<FeedItem[]> {
    const { articles, comments, users } = this.deps;
    const articleIds = rows.filter((r) => r.kind === FeedKind.article).map((r) => r.ext.articleId!);
    const commentIds = rows.map(commentOf).filter((id): id is number => id !== undefined);
    const [published, remaining, names] = await Promise.all([
      articles.publishedMany([...new Set(articleIds)]),
      comments.existing(commentIds),
      Promise.all([...new Set(rows.map((r) => r.actorId))].map(async (id) => [id, await users.displayName(id)] as const)).then((pairs) => new Map(pairs)),
    ]);
    return rows
      .filter((r) => (r.kind !== FeedKind.article || published.has(r.ext.articleId!)) && (commentOf(r) === undefined || remaining.has(commentOf(r)!)))
      .map((r) => ({
        kind: r.kind,
        actor: { id: r.actorId, name: names.get(r.actorId)! },
        ctime: r.ctime,
        ...r.ext,
        ...(r.kind === FeedKind.article && { title: published.get(r.ext.articleId!)!.title }),
      }));
  }

  /** One row per receiver, none for the actor's own doings. */
  private async notify(receivers: number[], fact: Omit<InboxRow, 'uid'>): Promise<void> {
    const rows = [...new Set(receivers)].filter((uid) => uid !== fact.actorId).map((uid) => ({ ...fact, uid }));
    if (rows.length > 0) await this.deps.dao.addToInboxes(this.deps.dao.db, rows);
  }

  private async allFollowers(uid: number): Promise<number[]> {
    const ids: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await this.deps.follows.followerEntries(uid, cursor, FOLLOWER_PAGE);
      ids.push(...page.map((e) => e.uid));
      if (page.length < FOLLOWER_PAGE) return ids;
      cursor = page[page.length - 1]!.relationId;
    }
  }
}

/** The comment an entry is about, if any: a comment, or a like of one. */
function commentOf(r: FeedRow): number | undefined {
  if (r.kind === FeedKind.comment) return r.ext.commentId;
  if (r.kind === FeedKind.like && r.ext.biz === 'comment') return r.ext.bizId;
  return undefined;
}
