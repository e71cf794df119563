import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env.js';

const production = {
  WEBOOK_MODE: 'production',
  WEBOOK_DB: 'sqlite::memory:',
  WEBOOK_JWT_ACCESS_SECRET: 'a'.repeat(32),
  WEBOOK_JWT_REFRESH_SECRET: 'b'.repeat(32),
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ ...production, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('jobs and ranking configuration', () => {
  it('when nothing is set, then jobs run, the ranking runs every 3 minutes and its shared copy outlives that', () => {
    const config = loadConfig(production);
    expect(config.jobs).toEqual({ enabled: true, scheduler: { pollMs: 1000, leaseMs: 30_000 } });
    expect(config.ranking).toEqual({
      job: { cron: '*/3 * * * *', config: { topN: 100, windowHours: 168, batchSize: 5000 }, lockTtlMs: 30_000 },
      store: { sharedTtlMs: 900_000, localTtlMs: 10_000 },
    });
  });

  it('when an API-only instance sets WEBOOK_JOBS=false, then it runs no scheduler', () => {
    expect(loadConfig({ ...production, WEBOOK_JOBS: 'false' }).jobs.enabled).toBe(false);
  });

  it('when the ranking cron is not a cron expression, then startup refuses and says why', () => {
    expect(problemsOf({ WEBOOK_RANKING_CRON: 'every minute' })).toEqual([expect.stringMatching(/^WEBOOK_RANKING_CRON: not a cron expression/)]);
  });

  it('when the shared copy would expire before the next run, then startup refuses', () => {
    expect(problemsOf({ WEBOOK_RANKING_CRON: '0 * * * *', WEBOOK_RANKING_TTL_MS: '3600000' })).toEqual([
      "WEBOOK_RANKING_TTL_MS: must be longer than the ranking job's interval (3600000 ms)",
    ]);
    expect(problemsOf({ WEBOOK_RANKING_CRON: '0 * * * *', WEBOOK_RANKING_TTL_MS: '3600001' })).toEqual([]);
  });

  it('when numbers are out of bounds, then each is reported', () => {
    const problems = problemsOf({ WEBOOK_RANKING_TOP_N: '0', WEBOOK_RANKING_BATCH: '5', WEBOOK_JOBS_LEASE_MS: '10' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['WEBOOK_RANKING_TOP_N', 'WEBOOK_RANKING_BATCH', 'WEBOOK_JOBS_LEASE_MS']));
  });
});
