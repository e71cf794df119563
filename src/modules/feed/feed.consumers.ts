import type { BusMessage, EventBus } from '../../pkg/events/bus.js';
import { consumeEach, type Consumer, type MessageHandler } from '../../pkg/events/consumers.js';
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

interface Subscription {
  topic: string;
  group: string;
  handle: MessageHandler<never>;
}

/** What each topic does to the feed. A payload that is not what its topic promises is dropped with a P2 line rather than retried forever. */
function subscriptions(deps: FeedConsumerDeps): Subscription[] {
  const { feed, logger } = deps;
  const malformed = (topic: string, payload: unknown) => logger.warn({ severity: 'P2', topic, payload }, 'feed consumer dropped a malformed event');
  const on = <T>(topic: string, group: string, handle: (payload: T) => Promise<void>): Subscription => ({ topic, group, handle: (m: BusMessage<T>) => handle(m.payload) });
  return [
    on<ArticlePublished>(ARTICLE_PUBLISHED, FEED_GROUPS.articles, async (p) => {
      if (!isId(p?.id) || !isId(p.authorId) || !isTime(p.at) || typeof p.title !== 'string') return malformed(ARTICLE_PUBLISHED, p);
      await feed.articlePublished(p);
    }),
    on<InteractiveLiked>(INTERACTIVE_LIKED, FEED_GROUPS.likes, async (p) => {
      if (!isId(p?.bizId) || !isId(p.uid) || !isTime(p.at)) return malformed(INTERACTIVE_LIKED, p);
      const target = await ownerOf(deps, p.biz, p.bizId);
      if (target) await feed.liked({ ...target, uid: p.uid, biz: p.biz, bizId: p.bizId, at: p.at });
    }),
    on<CommentCreated>(COMMENT_CREATED, FEED_GROUPS.comments, async (p) => {
      if (!isId(p?.id) || !isId(p.articleId) || !isId(p.articleAuthorId) || !isId(p.uid) || !isTime(p.at)) return malformed(COMMENT_CREATED, p);
      await feed.commented({ ...p, parentAuthorId: isId(p.parentAuthorId) ? p.parentAuthorId : 0, excerpt: String(p.excerpt ?? '') });
    }),
    on<FollowCreated>(FOLLOW_CREATED, FEED_GROUPS.follows, async (p) => {
      if (!isId(p?.followerId) || !isId(p.followeeId) || !isTime(p.at)) return malformed(FOLLOW_CREATED, p);
      await feed.followed(p);
    }),
  ];
}

/**
 * The feed's consumers, one durable group per topic. Each handler is idempotent through the
 * feed's ref keys (a fact is stored once per reader), so at-least-once delivery shows each
 * entry once.
 */
export async function startFeedConsumers(deps: FeedConsumerDeps): Promise<Consumer[]> {
  const { bus, logger, metrics } = deps;
  // One after the other, so a subscription that fails closes those already started instead of leaking them.
  const started: Consumer[] = [];
  try {
    for (const s of subscriptions(deps)) started.push(await consumeEach(bus, s.topic, s.handle as MessageHandler<unknown>, { group: s.group, logger, ...(metrics && { metrics }) }));
  } catch (err) {
    for (const consumer of started) await consumer.close(0);
    throw err;
  }
  return started;
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
