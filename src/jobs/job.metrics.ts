import { Counter, Histogram, type Registry } from 'prom-client';

/** Per job name: runs started here, failures, time taken, and runs this instance lost mid-way. */
export interface JobMetrics {
  runs: Counter<'job'>;
  failures: Counter<'job'>;
  lost: Counter<'job'>;
  duration: Histogram<'job'>;
}

export function createJobMetrics(registry: Registry): JobMetrics {
  const registers = [registry];
  return {
    runs: new Counter({ name: 'webook_job_runs_total', help: 'Job runs started by this instance', labelNames: ['job'] as const, registers }),
    failures: new Counter({ name: 'webook_job_failures_total', help: 'Job runs whose handler threw', labelNames: ['job'] as const, registers }),
    lost: new Counter({
      name: 'webook_job_leases_lost_total',
      help: 'Runs whose lease this instance lost (paused, or taken over after a missed renewal)',
      labelNames: ['job'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'webook_job_duration_seconds',
      help: 'Job run time',
      labelNames: ['job'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
  };
}
