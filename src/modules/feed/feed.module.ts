import type { Consumer } from '../../pkg/events/consumers.js';
import type { EventMetrics } from '../../pkg/events/metrics.js';
import type { Platform } from '../platform.js';
import type { ArticleModule } from '../article/article.module.js';
import type { CommentModule } from '../comment/comment.module.js';
import type { FollowModule } from '../follow/follow.module.js';
import type { SessionModule } from '../session/session.module.js';
import type { UserModule } from '../user/user.module.js';
import { startFeedConsumers } from './feed.consumers.js';
import { FeedDao } from './feed.dao.js';
import { FeedService } from './feed.service.js';
import { feedRoutes } from './feed.web.js';

export interface FeedModuleDeps extends Platform {
  sessions: SessionModule;
  users: UserModule;
  articles: ArticleModule;
  comments: CommentModule;
  follows: FollowModule;
  /** Authors with more followers than this are pulled at read time (WEBOOK_FEED_PUSH_MAX_FOLLOWERS). */
  pushMaxFollowers: number;
  metrics?: EventMetrics;
}

/** The feed: its service, GET /feed, and the fan-out consumers. */
export function createFeedModule(deps: FeedModuleDeps) {
  const service = new FeedService({
    dao: new FeedDao(deps.db, deps.dialect),
    follows: deps.follows.service,
    articles: deps.articles.service,
    comments: deps.comments.service,
    users: deps.users.service,
    pushMaxFollowers: deps.pushMaxFollowers,
  });
  return {
    service,
    routes: feedRoutes({ feed: service, sessions: deps.sessions }),
    /** Starts the fan-out consumers; the caller closes what it gets back. */
    startConsumers: (): Promise<Consumer[]> =>
      startFeedConsumers({ bus: deps.bus, logger: deps.logger, feed: service, articles: deps.articles.service, comments: deps.comments.service, ...(deps.metrics && { metrics: deps.metrics }) }),
  };
}

export type FeedModule = ReturnType<typeof createFeedModule>;
