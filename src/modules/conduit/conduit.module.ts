import type { FastifyInstance } from 'fastify';
import type { Counter } from 'prom-client';
import type { RateLimiter, RateRule } from '../../pkg/ratelimit/limiter.js';
import type { ArticleModule } from '../article/article.module.js';
import type { CommentModule } from '../comment/comment.module.js';
import type { FollowModule } from '../follow/follow.module.js';
import type { InteractiveModule } from '../interactive/interactive.module.js';
import type { Platform } from '../platform.js';
import type { SessionModule } from '../session/session.module.js';
import type { UserModule } from '../user/user.module.js';
import { ConduitArticles } from './conduit.articles.js';
import { conduitArticleRoutes } from './conduit.articles.web.js';
import { ConduitComments } from './conduit.comments.js';
import { conduitCommentRoutes } from './conduit.comments.web.js';
import { ConduitDao } from './conduit.dao.js';
import { installConduitErrors } from './conduit.errors.js';
import { ConduitUsers } from './conduit.users.js';
import { conduitUserRoutes } from './conduit.users.web.js';

export interface ConduitModuleDeps extends Platform {
  sessions: SessionModule;
  users: UserModule;
  articles: ArticleModule;
  interactive: InteractiveModule;
  comments: CommentModule;
  follows: FollowModule;
  limiter: RateLimiter;
  authRule: RateRule;
  errorsTotal: Counter<'code' | 'severity'>;
}

/**
 * The RealWorld "Conduit" API (docs/conduit.md): a web layer over the other modules'
 * services. `routes` is registered under /api; inside it, errors answer in Conduit's shape.
 */
export function createConduitModule(deps: ConduitModuleDeps) {
  const dao = new ConduitDao(deps.db, deps.dialect);
  const users = new ConduitUsers(dao, deps.users.service, deps.follows.service, deps.clock);
  const articles = new ConduitArticles({ dao, articles: deps.articles.service, interactive: deps.interactive.service, follows: deps.follows.service, users, clock: deps.clock });
  const comments = new ConduitComments(deps.comments.service, articles, users);
  const userRoutes = conduitUserRoutes({
    conduitUsers: users,
    users: deps.users.service,
    sessions: deps.sessions.service,
    limiter: deps.limiter,
    clock: deps.clock,
    authRule: deps.authRule,
  });
  const articleRoutes = conduitArticleRoutes({ conduitArticles: articles, sessions: deps.sessions.service });
  const commentRoutes = conduitCommentRoutes({ conduitComments: comments, articles: deps.articles.service, sessions: deps.sessions.service });
  return {
    users,
    articles,
    routes: async (app: FastifyInstance) => {
      installConduitErrors(app, deps.errorsTotal);
      await app.register(userRoutes);
      await app.register(articleRoutes);
      await app.register(commentRoutes);
    },
  };
}

export type ConduitModule = ReturnType<typeof createConduitModule>;
