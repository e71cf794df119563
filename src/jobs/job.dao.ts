import type { Kysely, Selectable } from 'kysely';
import type { DB, JobsTable } from '../db/schema.js';
import { onConflictIgnore, type Dialect } from '../pkg/db/dialect.js';
import { JobStatus, type Job } from './job.domain.js';

const toJob = (r: Selectable<JobsTable>): Job => ({
  id: Number(r.id),
  name: r.name,
  cron: r.cron,
  config: r.config,
  status: Number(r.status) as JobStatus,
  nextTime: Number(r.next_time),
  version: Number(r.version),
  holder: r.holder,
  leaseUntil: Number(r.lease_until),
  lastStart: r.last_start === null ? null : Number(r.last_start),
  lastEnd: r.last_end === null ? null : Number(r.last_end),
  lastError: r.last_error,
});

/** Identifies one claimed run: the row and the version the claim wrote. */
export interface Claim {
  id: number;
  version: number;
  holder: string;
}

/**
 * The jobs table. Every state change is one UPDATE whose WHERE names the version it
 * read: of several instances trying the same change, exactly one sees a row updated.
 */
export class JobDao {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Creates the row unless it exists (several instances start at once: one insert wins, the rest do nothing). */
  async insertIfAbsent(row: { name: string; cron: string; config: string; nextTime: number }, now: number): Promise<void> {
    await this.db
      .insertInto('jobs')
      .values({
        name: row.name,
        cron: row.cron,
        config: row.config,
        status: JobStatus.waiting,
        next_time: row.nextTime,
        version: 0,
        holder: null,
        lease_until: 0,
        ctime: now,
        utime: now,
      })
      .$call(onConflictIgnore(this.dialect, ['name']))
      .execute();
  }

  /** The schedule and config from code win; a waiting job's next run follows a changed schedule. */
  async updateDefinition(name: string, cron: string, config: string, nextTime: number | null, now: number): Promise<void> {
    await this.db.updateTable('jobs').set({ cron, config, utime: now }).where('name', '=', name).execute();
    if (nextTime !== null) {
      await this.db.updateTable('jobs').set({ next_time: nextTime }).where('name', '=', name).where('status', '=', JobStatus.waiting).execute();
    }
  }

  async find(name: string): Promise<Job | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toJob(row);
  }

  async list(): Promise<Job[]> {
    return (await this.db.selectFrom('jobs').selectAll().orderBy('name').execute()).map(toJob);
  }

  /** Among `names`: waiting jobs that are due, and running jobs whose holder stopped renewing. */
  async claimable(names: string[], now: number, limit: number): Promise<Job[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('name', 'in', names)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', JobStatus.waiting), eb('next_time', '<=', now)]),
          eb.and([eb('status', '=', JobStatus.running), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('next_time')
      .limit(limit)
      .execute();
    return rows.map(toJob);
  }

  /**
   * Takes the job if it is still as read (same version) and still claimable. The claim's
   * version is the read one plus one; null when another instance got there first.
   */
  async claim(job: Job, holder: string, now: number, leaseMs: number): Promise<Claim | null> {
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({ status: JobStatus.running, holder, version: eb('version', '+', 1), lease_until: now + leaseMs, last_start: now, utime: now }))
      .where('id', '=', job.id)
      .where('version', '=', job.version)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', JobStatus.waiting), eb('next_time', '<=', now)]),
          eb.and([eb('status', '=', JobStatus.running), eb('lease_until', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? { id: job.id, version: job.version + 1, holder } : null;
  }

  /** Extends the lease; false when the job is no longer this claim's (paused, or taken over). */
  async renew(claim: Claim, leaseUntil: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ lease_until: leaseUntil, utime: now })
      .where('id', '=', claim.id)
      .where('version', '=', claim.version)
      .where('holder', '=', claim.holder)
      .where('status', '=', JobStatus.running)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Frees the job with its next run; false when the claim was lost meanwhile (nothing is written then). */
  async finish(claim: Claim, outcome: { nextTime: number; error: string | null }, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: JobStatus.waiting,
        holder: null,
        lease_until: 0,
        next_time: outcome.nextTime,
        version: eb('version', '+', 1),
        last_end: now,
        last_error: outcome.error,
        utime: now,
      }))
      .where('id', '=', claim.id)
      .where('version', '=', claim.version)
      .where('holder', '=', claim.holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Pauses whatever the state: a running holder loses its claim and is told at its next renewal. */
  async pause(name: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({ status: JobStatus.paused, holder: null, lease_until: 0, version: eb('version', '+', 1), utime: now }))
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Only a paused job resumes, at its next cron time. */
  async resume(name: string, nextTime: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({ status: JobStatus.waiting, next_time: nextTime, version: eb('version', '+', 1), utime: now }))
      .where('name', '=', name)
      .where('status', '=', JobStatus.paused)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
