import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../pkg/clock/clock.js';
import { AppError } from '../pkg/errors/app-error.js';
import { logWithSeverity, type Logger } from '../pkg/logger/logger.js';
import type { Claim, JobDao } from './job.dao.js';
import { LAST_ERROR_MAX, NEVER, nextRunAfter, parseCron, type Job, type JobDefinition } from './job.domain.js';
import { JobCodes } from './job.errors.js';
import type { JobMetrics } from './job.metrics.js';

export interface SchedulerOptions {
  /** How often the loop looks for due jobs. */
  pollMs: number;
  /** How long a claim stays valid without renewal: a dead holder's job is taken over this long after its last renewal. */
  leaseMs: number;
  /** How often running jobs' leases are renewed (a third of the lease by default). */
  renewEveryMs?: number;
  /** Names this instance in the rows' holder column. */
  instanceId?: string;
}

interface Running {
  def: JobDefinition;
  claim: Claim;
  abort: AbortController;
  done: Promise<void>;
}

const defaultInstanceId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`.slice(0, 128);
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, LAST_ERROR_MAX);

/**
 * One instance's share of the distributed scheduler. Every instance runs the same loop:
 * find due rows, claim one with an optimistic UPDATE on its version (one instance wins),
 * run its handler while renewing the lease, then write the next cron time and free it.
 * A holder that stops renewing (crashed, frozen, cut off) is replaced once its lease
 * ran out, so a run is at-least-once across crashes and exactly-once otherwise.
 */
export class Scheduler {
  readonly instanceId: string;
  private readonly defs = new Map<string, JobDefinition>();
  private readonly running = new Map<string, Running>();
  private synced: Promise<void> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly dao: JobDao,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: JobMetrics,
    private readonly opts: SchedulerOptions,
  ) {
    this.instanceId = opts.instanceId ?? defaultInstanceId();
  }

  /** Adds a job this instance can run; its row is created (or its schedule updated) on start. */
  register(def: JobDefinition): this {
    try {
      parseCron(def.cron); // a bad expression fails at startup, not at the first run
    } catch (err) {
      throw new AppError(JobCodes.invalidCron, { msg: `job ${def.name}: ${(err as Error).message}`, cause: err });
    }
    if (this.defs.has(def.name)) throw new Error(`job ${def.name} registered twice`);
    this.defs.set(def.name, def);
    this.synced = undefined;
    return this;
  }

  get names(): string[] {
    return [...this.defs.keys()];
  }

  /** Writes every registered definition into its row, once per registration change. */
  sync(): Promise<void> {
    this.synced ??= this.syncRows().catch((err: unknown) => {
      this.synced = undefined;
      throw err;
    });
    return this.synced;
  }

  private async syncRows(): Promise<void> {
    const now = this.clock.now();
    for (const def of this.defs.values()) {
      const config = JSON.stringify(def.config ?? {});
      const nextTime = nextRunAfter(def.cron, now) ?? NEVER;
      await this.dao.insertIfAbsent({ name: def.name, cron: def.cron, config, nextTime }, now);
      const row = await this.dao.find(def.name);
      if (row && (row.cron !== def.cron || row.config !== config)) {
        await this.dao.updateDefinition(def.name, def.cron, config, row.cron !== def.cron ? nextTime : null, now);
      }
    }
  }

  /** Starts polling and renewing. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    await this.sync();
    this.stopped = false;
    const renewEvery = this.opts.renewEveryMs ?? Math.max(1, Math.floor(this.opts.leaseMs / 3));
    this.renewTimer = setInterval(() => void this.renewLeases(), renewEvery).unref();
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    // Jitter, so instances started together do not all poll in the same millisecond.
    const delay = this.opts.pollMs * (0.75 + Math.random() * 0.5);
    this.pollTimer = setTimeout(() => {
      this.tick()
        .catch((err: unknown) => this.logger.warn({ severity: 'P2', err }, 'job poll failed'))
        .finally(() => this.schedulePoll());
    }, delay);
    this.pollTimer.unref();
  }

  /** One poll: claims what is due and starts it; resolves with how many runs it started. */
  async tick(): Promise<number> {
    await this.sync();
    const now = this.clock.now();
    const free = this.names.filter((n) => !this.running.has(n));
    let started = 0;
    for (const job of await this.dao.claimable(free, now, free.length)) {
      const claim = await this.dao.claim(job, this.instanceId, now, this.opts.leaseMs);
      if (!claim) continue; // another instance won this one
      this.launch(this.defs.get(job.name)!, job, claim);
      started++;
    }
    return started;
  }

  private launch(def: JobDefinition, job: Job, claim: Claim): void {
    const abort = new AbortController();
    const entry: Running = { def, claim, abort, done: Promise.resolve() };
    entry.done = this.execute(def, job, claim, abort.signal).finally(() => this.running.delete(def.name));
    this.running.set(def.name, entry);
  }

  private async execute(def: JobDefinition, job: Job, claim: Claim, signal: AbortSignal): Promise<void> {
    const log = this.logger.child({ job: def.name });
    const stopTimer = this.metrics.duration.startTimer({ job: def.name });
    this.metrics.runs.inc({ job: def.name });
    let error: string | null = null;
    try {
      await def.handler({ name: def.name, config: JSON.parse(job.config) as unknown, scheduledAt: job.nextTime, signal, logger: log });
    } catch (err) {
      error = errorText(err);
      this.metrics.failures.inc({ job: def.name });
      logWithSeverity(log, JobCodes.runFailed.severity, { code: JobCodes.runFailed.code, err }, `job ${def.name} failed`);
    } finally {
      stopTimer();
    }
    const now = this.clock.now();
    const freed = await this.dao
      .finish(claim, { nextTime: nextRunAfter(def.cron, now) ?? NEVER, error }, now)
      .catch((err: unknown) => (log.warn({ severity: 'P2', err }, 'could not free the job; its lease will expire'), true));
    if (!freed) this.lost(def.name, log);
  }

  private lost(name: string, log: Logger): void {
    this.metrics.lost.inc({ job: name });
    log.warn({ severity: 'P2' }, `job ${name} was paused or taken over while running here; its result was not recorded`);
  }

  /** Extends the lease of every run in progress; a run whose claim is gone is told to stop. */
  async renewLeases(): Promise<void> {
    const now = this.clock.now();
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        const ok = await this.dao.renew(r.claim, now + this.opts.leaseMs, now).catch(() => undefined);
        if (ok === false && !r.abort.signal.aborted) r.abort.abort(new Error(`job ${r.def.name}: lease lost`));
      }),
    );
  }

  /** Resolves when the runs in progress have finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /**
   * Stops claiming, lets runs in progress finish for up to graceMs (renewing meanwhile),
   * then stops renewing: a run still going is taken over elsewhere when its lease ends.
   */
  async stop(graceMs = this.opts.leaseMs): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise((r) => (timeout = setTimeout(r, graceMs).unref()))]);
    clearTimeout(timeout);
    clearInterval(this.renewTimer);
  }

  /** Tests: dies on the spot, as a killed process would (no renewal, nothing freed). */
  halt(): void {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.renewTimer);
  }
}
