import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { DB } from '../db/schema.js';
import type { Clock } from '../pkg/clock/clock.js';
import type { Dialect } from '../pkg/db/dialect.js';
import type { Logger } from '../pkg/logger/logger.js';
import { JobAdmin } from './job.admin.js';
import { JobDao } from './job.dao.js';
import { createJobMetrics } from './job.metrics.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

export interface JobsDeps {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  options: SchedulerOptions;
}

/** The scheduler (modules register their jobs on it) and the operator's view of the jobs table. */
export function createJobs(deps: JobsDeps) {
  const dao = new JobDao(deps.db, deps.dialect);
  return {
    scheduler: new Scheduler(dao, deps.clock, deps.logger.child({ component: 'scheduler' }), createJobMetrics(deps.registry), deps.options),
    admin: new JobAdmin(dao, deps.clock),
  };
}

export type Jobs = ReturnType<typeof createJobs>;
