import type { Platform } from '../platform.js';
import type { InteractiveModule } from '../interactive/interactive.module.js';
import type { SessionModule } from '../session/session.module.js';
import type { UserModule } from '../user/user.module.js';
import { articleAuthorRoutes } from './article.author.web.js';
import { ArticleCache } from './article.cache.js';
import { ArticleDao } from './article.dao.js';
import { articleReaderRoutes } from './article.reader.web.js';
import { articleTagRoutes } from './article.tags.web.js';
import { ArticleRepository } from './article.repository.js';
import { ArticleService } from './article.service.js';
import { PublishedArticleScan } from './article.scan.js';
import { ReadRecorder, type ReadRecorderOptions } from './read-recorder.js';

export interface ArticleModuleDeps extends Platform {
  readBatch: ReadRecorderOptions;
  sessions: SessionModule;
  users: UserModule;
  interactive: InteractiveModule;
}

/** What other modules may use of articles: the service (and the read events, article.events.ts). */
export function createArticleModule(deps: ArticleModuleDeps) {
  const { outbox } = deps;
  const repo = new ArticleRepository(new ArticleDao(deps.db, deps.dialect), new ArticleCache(deps.cache), outbox);
  const reads = new ReadRecorder(deps.bus, deps.readBatch, (err, lost) =>
    deps.logger.warn({ severity: 'P2', err, lost }, 'read events could not be published and were dropped'),
  );
  const service = new ArticleService(repo, reads, deps.clock, outbox);
  const author = articleAuthorRoutes({ articles: service, sessions: deps.sessions });
  const reader = articleReaderRoutes({ articles: service, interactive: deps.interactive.service, users: deps.users.service, sessions: deps.sessions });
  const tagged = articleTagRoutes({ articles: service, interactive: deps.interactive.service, users: deps.users.service });
  return {
    service,
    /** Keyset pages over published articles, without their content (the ranking job's full pass). */
    publishedScan: new PublishedArticleScan(deps.db),
    /** Publishes the reads still waiting (shutdown). */
    flushReads: () => reads.close(),
    routes: async (app: import('fastify').FastifyInstance) => {
      await app.register(author);
      await app.register(reader);
      await app.register(tagged);
    },
  };
}

export type ArticleModule = ReturnType<typeof createArticleModule>;
