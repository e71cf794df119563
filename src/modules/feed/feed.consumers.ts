import type { EventBus } from '../../pkg/events/bus.js';
import { consumeEach, type Consumer } from '../../pkg/events/consumers.js';
import type { EventMetrics } from '../../pkg/events/metrics.js';
import type { Logger } from '../../pkg/logger/logger.js';
import { ARTICLE_PUBLISHED, type ArticlePublished } from '../article/article.events.js';
import type { ArticleService } from '../article/article.service.js';
import { COMMENT_CREATED, type CommentCreated } from '../comment/comment.events.js';
import type { CommentService } from '../comment/comment.service.js';
import { FOLLOW_CREATED, type FollowCreated } from '../follow/follow.events.js';
import { INTERACTIVE_LIKED, type InteractiveLiked } from '../interactive/interactive.events.js';
import type { FeedService } from './feed.service.js';

/** The durable groups, one per topic. */
export const FEED_GROUPS = {
  articles: 'feed-article-fanout',
  likes: 'feed-liked',
  comments: 'feed-commented',
  follows: 'feed-followed',
} as const;

export interface FeedConsumerDeps {
  bus: EventBus;
  logger: Logger;
  feed: FeedService;
  articles: ArticleService;
  comments: CommentService;
  metrics?: EventMetrics;
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The feed's consumers. Each handler is idempotent through the feed's ref keys (a fact is
 * stored once per reader), so at-least-once delivery shows each entry once. A payload that
 * is not what its topic promises is dropped with a P2 line rather than retried forever.
 */
export async function startFeedConsumers(deps: FeedConsumerDeps): Promise<Consumer[]> {
  const { bus, logger, feed, metrics } = deps;
  const opts = (group: string) => ({ group, logger, ...(metrics && { metrics }) });
  const malformed = (topic: string, payload: unknown) => logger.warn({ severity: 'P2', topic, payload }, 'feed consumer dropped a malformed event');

  return Promise.all([
    consumeEach<ArticlePublished>(bus, ARTICLE_PUBLISHED, async ({ payload: p }) => {
      if (!isId(p?.id) || !isId(p.authorId) || !isTime(p.at) || typeof p.title !== 'string') return malformed(ARTICLE_PUBLISHED, p);
      await feed.articlePublished(p);
    }, opts(FEED_GROUPS.articles)),

    consumeEach<InteractiveLiked>(bus, INTERACTIVE_LIKED, async ({ payload: p }) => {
      if (!isId(p?.bizId) || !isId(p.uid) || !isTime(p.at)) return malformed(INTERACTIVE_LIKED, p);
      const target = await ownerOf(deps, p.biz, p.bizId);
      if (target) await feed.liked({ ...target, uid: p.uid, biz: p.biz, bizId: p.bizId, at: p.at });
    }, opts(FEED_GROUPS.likes)),

    consumeEach<CommentCreated>(bus, COMMENT_CREATED, async ({ payload: p }) => {
      if (!isId(p?.id) || !isId(p.articleId) || !isId(p.articleAuthorId) || !isId(p.uid) || !isTime(p.at)) return malformed(COMMENT_CREATED, p);
      await feed.commented({ ...p, parentAuthorId: isId(p.parentAuthorId) ? p.parentAuthorId : 0, excerpt: String(p.excerpt ?? '') });
    }, opts(FEED_GROUPS.comments)),

    consumeEach<FollowCreated>(bus, FOLLOW_CREATED, async ({ payload: p }) => {
      if (!isId(p?.followerId) || !isId(p.followeeId) || !isTime(p.at)) return malformed(FOLLOW_CREATED, p);
      await feed.followed(p);
    }, opts(FEED_GROUPS.follows)),
  ]);
}

/** Whose content was liked, and the article it belongs to; undefined when it is gone (nobody to tell). */
async function ownerOf(deps: FeedConsumerDeps, biz: string, bizId: number): Promise<{ owner: number; articleId: number } | undefined> {
  if (biz === 'article') {
    const found = (await deps.articles.publishedMany([bizId])).get(bizId);
    return found && { owner: found.authorId, articleId: found.id };
  }
  if (biz === 'comment') {
    const comment = await deps.comments.find(bizId);
    return comment && { owner: comment.uid, articleId: comment.articleId };
  }
  return undefined;
}
