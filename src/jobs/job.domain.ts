import { Cron } from 'croner';
import type { Logger } from '../pkg/logger/logger.js';

/** A job row's status, as stored (smallint). */
export const JobStatus = { waiting: 0, running: 1, paused: 2 } as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
export const statusName = (s: number) => (['waiting', 'running', 'paused'] as const)[s] ?? `unknown(${s})`;

/** A job as its row holds it. Times are epoch milliseconds. */
export interface Job {
  id: number;
  name: string;
  cron: string;
  /** JSON text, handed to the handler parsed. */
  config: string;
  status: JobStatus;
  nextTime: number;
  /** Bumped by every claim, finish, pause and resume: the optimistic-lock column. */
  version: number;
  holder: string | null;
  leaseUntil: number;
  lastStart: number | null;
  lastEnd: number | null;
  lastError: string | null;
}

/** What a handler gets for one run. */
export interface JobContext {
  name: string;
  /** The row's config, parsed. */
  config: unknown;
  /** The cron time this run is for (a run taken over from a dead holder keeps it). */
  scheduledAt: number;
  /** Raised when this instance lost the job (lease lost, paused): stop and write nothing more. */
  signal: AbortSignal;
  logger: Logger;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

/** How a module registers a job with the scheduler (one call in src/ioc/container.ts). */
export interface JobDefinition {
  name: string;
  /** Five fields (minute precision) or six (seconds first); always read in UTC. */
  cron: string;
  /** Stored in the row as JSON (visible to admins), handed back to every run. */
  config?: Record<string, unknown>;
  handler: JobHandler;
}

export const JOB_NAME_MAX = 128;
export const CRON_MAX = 128;
export const LAST_ERROR_MAX = 1024;

/** Throws (croner's message) when the expression is not a valid cron pattern. */
export function parseCron(expression: string): Cron {
  return new Cron(expression, { timezone: 'UTC', paused: true });
}

/** The first cron time strictly after `after` (UTC); null for a pattern that never fires again. */
export function nextRunAfter(expression: string, after: number): number | null {
  const next = parseCron(expression).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/** No next run: parked far in the future rather than re-run at once. */
export const NEVER = 253_402_300_799_000; // 9999-12-31T23:59:59Z

/** The gap between two consecutive runs after `from`: how stale a job's result may get. */
export function cronInterval(expression: string, from: number): number {
  const [a, b] = parseCron(expression).nextRuns(2, new Date(from));
  return a && b ? b.getTime() - a.getTime() : Number.POSITIVE_INFINITY;
}
