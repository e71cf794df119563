import type { Clock } from '../pkg/clock/clock.js';
import { AppError } from '../pkg/errors/app-error.js';
import type { JobDao } from './job.dao.js';
import { JobStatus, NEVER, nextRunAfter, statusName, type Job } from './job.domain.js';
import { JobCodes } from './job.errors.js';

/** A job as an operator sees it: times as ISO strings (UTC), status by name. */
export interface JobView {
  name: string;
  cron: string;
  status: string;
  nextRun: string | null;
  lastStart: string | null;
  lastEnd: string | null;
  lastError: string | null;
  holder: string | null;
  leaseUntil: string | null;
  config: string;
}

const iso = (ms: number | null) => (ms === null || ms <= 0 || ms >= NEVER ? null : new Date(ms).toISOString());

export const viewOf = (j: Job): JobView => ({
  name: j.name,
  cron: j.cron,
  status: statusName(j.status),
  nextRun: j.status === JobStatus.paused ? null : iso(j.nextTime),
  lastStart: iso(j.lastStart),
  lastEnd: iso(j.lastEnd),
  lastError: j.lastError,
  holder: j.holder,
  leaseUntil: iso(j.leaseUntil),
  config: j.config,
});

/** What an operator may do to jobs (the `jobs` CLI): list, pause, resume. */
export class JobAdmin {
  constructor(
    private readonly dao: JobDao,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<JobView[]> {
    return (await this.dao.list()).map(viewOf);
  }

  /** Takes effect at once; a run in progress is told to stop at its next lease renewal. */
  async pause(name: string): Promise<JobView> {
    if (!(await this.dao.pause(name, this.clock.now()))) throw new AppError(JobCodes.notFound);
    return this.view(name);
  }

  /** Resumes at the next cron time after now (missed runs are not replayed); resuming a job that is not paused changes nothing. */
  async resume(name: string): Promise<JobView> {
    const job = await this.dao.find(name);
    if (!job) throw new AppError(JobCodes.notFound);
    const now = this.clock.now();
    await this.dao.resume(name, nextRunAfter(job.cron, now) ?? NEVER, now);
    return this.view(name);
  }

  private async view(name: string): Promise<JobView> {
    const job = await this.dao.find(name);
    if (!job) throw new AppError(JobCodes.notFound);
    return viewOf(job);
  }
}
