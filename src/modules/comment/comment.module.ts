import type { Platform } from '../platform.js';
import type { ArticleModule } from '../article/article.module.js';
import type { InteractiveModule } from '../interactive/interactive.module.js';
import type { SessionModule } from '../session/session.module.js';
import type { UserModule } from '../user/user.module.js';
import { CommentDao } from './comment.dao.js';
import { COMMENT_CREATED, type CommentCreated } from './comment.events.js';
import { CommentRepository } from './comment.repository.js';
import { CommentService } from './comment.service.js';
import { commentRoutes } from './comment.web.js';

export interface CommentModuleDeps extends Platform {
  sessions: SessionModule;
  users: UserModule;
  articles: ArticleModule;
  interactive: InteractiveModule;
}

/** What other modules may use of comments: the service (and comment.events.ts). */
export function createCommentModule(deps: CommentModuleDeps) {
  // After the commit, without making the request wait for the bus; a bus failure loses the
  // notification only, never the comment (logged P2).
  const onCreated = async (event: CommentCreated) => {
    void deps.bus.publish(COMMENT_CREATED, event).catch((err: unknown) => deps.logger.warn({ severity: 'P2', err, commentId: event.id }, 'comment event could not be published'));
  };
  const service = new CommentService({
    repo: new CommentRepository(new CommentDao(deps.db, deps.dialect)),
    articles: deps.articles.service,
    interactive: deps.interactive.service,
    users: deps.users.service,
    clock: deps.clock,
    onCreated,
  });
  return { service, routes: commentRoutes({ comments: service, sessions: deps.sessions }) };
}

export type CommentModule = ReturnType<typeof createCommentModule>;
