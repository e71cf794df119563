import { Value } from 'typebox/value';
import type { JobContext, JobHandler } from '../../jobs/job.domain.js';
import { AppError } from '../../pkg/errors/app-error.js';
import { withLock } from '../../pkg/lock/hold.js';
import type { DistributedLock } from '../../pkg/lock/lock.js';
import { RankingJobConfig } from './ranking.domain.js';
import { RankingCodes } from './ranking.errors.js';
import type { RankingService } from './ranking.service.js';

export const RANKING_JOB = 'ranking';
export const RANKING_LOCK = 'job:ranking';

export interface RankingJobOptions {
  /** The lock's lease; renewed every third of it while the pass runs. */
  lockTtlMs: number;
}

function configOf(ctx: JobContext): RankingJobConfig {
  if (!Value.Check(RankingJobConfig, ctx.config)) {
    throw new AppError(RankingCodes.badConfig, { msg: `ranking job config: ${[...Value.Errors(RankingJobConfig, ctx.config)].map((e) => `${e.instancePath} ${e.message}`).join('; ')}` });
  }
  return ctx.config;
}

/**
 * The scheduler already runs a job on one instance at a time; the lock adds the issue's
 * second guarantee at the storage: a pass that outlived its lease (paused, taken over,
 * frozen) stores nothing over a newer pass's list, because its fence is smaller.
 */
export function rankingJob(service: RankingService, lock: DistributedLock, opts: RankingJobOptions): JobHandler {
  return async (ctx) => {
    const config = configOf(ctx);
    const outcome = await withLock(lock, RANKING_LOCK, { ttlMs: opts.lockTtlMs }, async (held) => {
      const signal = AbortSignal.any([ctx.signal, held.signal]);
      const snapshot = await service.compute(config, signal);
      const stored = await service.store(snapshot, held.lease.fence);
      return { stored, scanned: snapshot.scanned, listed: snapshot.items.length };
    });
    if (!outcome.acquired) {
      ctx.logger.info({ severity: 'P3' }, 'hot list is being computed by another holder of the lock: skipped');
      return;
    }
    const { stored, scanned, listed } = outcome.value;
    if (!stored) ctx.logger.warn({ severity: 'P2', scanned }, 'a newer hot list was stored meanwhile: this one was dropped');
    else ctx.logger.info({ scanned, listed }, 'hot list stored');
  };
}
