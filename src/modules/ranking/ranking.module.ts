import type { FencedWriter, DistributedLock } from '../../pkg/lock/lock.js';
import type { JobDefinition } from '../../jobs/job.domain.js';
import type { ArticleModule } from '../article/article.module.js';
import { Biz } from '../interactive/interactive.domain.js';
import type { InteractiveModule } from '../interactive/interactive.module.js';
import type { Platform } from '../platform.js';
import type { UserModule } from '../user/user.module.js';
import type { RankingJobConfig } from './ranking.domain.js';
import { RANKING_JOB, rankingJob } from './ranking.job.js';
import { RankingRepository, type RankingStoreOptions } from './ranking.repository.js';
import { RankingService } from './ranking.service.js';
import { rankingRoutes } from './ranking.web.js';

export interface RankingModuleDeps extends Platform {
  articles: ArticleModule;
  interactive: InteractiveModule;
  users: UserModule;
  lock: DistributedLock;
  fenced: FencedWriter;
  store: RankingStoreOptions;
  /** When the job runs (cron, UTC), its pass settings and its lock's lease. */
  job: { cron: string; config: RankingJobConfig; lockTtlMs: number };
}

/** The hot list: the route for readers and the job definition for the scheduler. */
export function createRankingModule(deps: RankingModuleDeps) {
  const sources = {
    page: deps.articles.publishedScan.page.bind(deps.articles.publishedScan),
    counters: (ids: number[]) => deps.interactive.service.storedCountersOf(Biz.article, ids),
  };
  const repo = new RankingRepository(deps.cache, deps.fenced, deps.clock, deps.logger, deps.store);
  const service = new RankingService(sources, (uid) => deps.users.service.displayName(uid), repo, deps.clock);
  const job: JobDefinition = {
    name: RANKING_JOB,
    cron: deps.job.cron,
    config: deps.job.config,
    handler: rankingJob(service, deps.lock, { lockTtlMs: deps.job.lockTtlMs }),
  };
  return { service, job, routes: rankingRoutes({ ranking: service }) };
}

export type RankingModule = ReturnType<typeof createRankingModule>;
