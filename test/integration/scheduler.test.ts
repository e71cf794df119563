import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobAdmin } from '../../src/jobs/job.admin.js';
import { JobDao } from '../../src/jobs/job.dao.js';
import { JobStatus, type JobContext, type JobDefinition } from '../../src/jobs/job.domain.js';
import { createJobMetrics, type JobMetrics } from '../../src/jobs/job.metrics.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import type { DB } from '../../src/db/schema.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import type { Database } from '../../src/pkg/db/database.js';
import { dialects, freshDatabase, sameDatabase } from '../support/backends.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 30); // half a minute before the first "every minute" run
const LEASE = 10_000;
const MINUTE = 60_000;

/** A handler that records its runs and, when asked, waits until released. */
function recorder() {
  const runs: { instance: string; ctx: JobContext }[] = [];
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  return {
    runs,
    block() {
      gate = new Promise((r) => (open = r));
    },
    release: () => open(),
    handler: (instance: string) => async (ctx: JobContext) => {
      runs.push({ instance, ctx });
      await gate;
    },
  };
}

describe.each(dialects)('job scheduler with 3 instances on %s', (dialect) => {
  let db: { database: Database<DB>; url: string; drop(): Promise<void> };
  const extra: { drop(): Promise<void> }[] = [];
  let clock: ManualClock;
  let instances: { scheduler: Scheduler; metrics: JobMetrics }[];
  let rec: ReturnType<typeof recorder>;
  let admin: JobAdmin;
  let logs: Record<string, unknown>[];

  /** Instance i: its own pool on a server database (as separate processes would have). */
  const databaseFor = (i: number) => {
    if (i === 0 || dialect === 'sqlite') return db.database; // sqlite::memory: is one connection's database
    const other = sameDatabase(db.url);
    extra.push(other);
    return other.database;
  };

  const build = (i: number, defs: (name: string) => JobDefinition[]) => {
    const database = databaseFor(i);
    const metrics = createJobMetrics(new Registry());
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    const scheduler = new Scheduler(new JobDao(database.db, database.dialect), clock, pino(sink), metrics, {
      pollMs: 60_000, // never polls by itself here: the tests call tick()
      leaseMs: LEASE,
      renewEveryMs: 3_600_000, // renewals only when a test calls renewLeases()
      instanceId: `instance-${i}`,
    });
    for (const def of defs(`instance-${i}`)) scheduler.register(def);
    return { scheduler, metrics };
  };

  const tickAll = async () => (await Promise.all(instances.map((i) => i.scheduler.tick()))).reduce((a, b) => a + b, 0);
  const idleAll = () => Promise.all(instances.map((i) => i.scheduler.idle()));
  const row = async (name = 'every-minute') => (await new JobDao(db.database.db, dialect).find(name))!;

  beforeEach(async () => {
    db = await freshDatabase(dialect);
    clock = new ManualClock(T0);
    rec = recorder();
    logs = [];
    instances = [0, 1, 2].map((i) => build(i, (me) => [{ name: 'every-minute', cron: '* * * * *', config: { size: 3 }, handler: rec.handler(me) }]));
    await Promise.all(instances.map((i) => i.scheduler.sync())); // all start at once: one row
    admin = new JobAdmin(new JobDao(db.database.db, dialect), clock);
  });

  afterEach(async () => {
    for (const i of instances) i.scheduler.halt();
    rec.release();
    await idleAll();
    for (const e of extra.splice(0)) await e.drop();
    await db.drop();
  });

  it('when several instances register the same job at once, then there is one waiting row due at the next cron time', async () => {
    expect(await admin.list()).toHaveLength(1);
    expect(await row()).toMatchObject({ status: JobStatus.waiting, nextTime: T0 + 30_000, holder: null, config: '{"size":3}' });
  });

  it('when 3 instances poll a due job together, then each due run executes exactly once', async () => {
    expect(await tickAll()).toBe(0); // not due yet
    for (let minute = 1; minute <= 5; minute++) {
      clock.advance(MINUTE);
      // Every instance polls twice, concurrently: six attempts per due run.
      const started = (await Promise.all([tickAll(), tickAll()])).reduce((a, b) => a + b, 0);
      expect(started).toBe(1);
      await idleAll();
      expect(rec.runs).toHaveLength(minute);
      expect(await tickAll()).toBe(0); // done: nothing due until the next minute
    }
    expect(rec.runs.map((r) => r.ctx.scheduledAt)).toEqual([1, 2, 3, 4, 5].map((m) => T0 + 30_000 + (m - 1) * MINUTE));
    expect(rec.runs.every((r) => (r.ctx.config as { size: number }).size === 3)).toBe(true);
    const total = await Promise.all(instances.map(async (i) => (await i.metrics.runs.get()).values.reduce((a, v) => a + v.value, 0)));
    expect(total.reduce((a, b) => a + b, 0)).toBe(5);
    expect(await row()).toMatchObject({ status: JobStatus.waiting, holder: null, lastError: null, nextTime: T0 + 30_000 + 5 * MINUTE });
  });

  it('when a holder stops renewing, then another instance takes the job over after the lease, and the old holder writes nothing', async () => {
    rec.block();
    clock.advance(MINUTE);
    const [a, b] = instances;
    expect(await a!.scheduler.tick()).toBe(1);
    expect(await row()).toMatchObject({ status: JobStatus.running, holder: 'instance-0' });

    clock.advance(LEASE / 2);
    await a!.scheduler.renewLeases();
    clock.advance(LEASE * 0.8); // past the first lease, inside the renewed one
    expect(await b!.scheduler.tick()).toBe(0);

    a!.scheduler.halt(); // the holder dies: no more renewals
    clock.advance(LEASE);
    expect(await b!.scheduler.tick()).toBe(1);
    expect(rec.runs.map((r) => r.instance)).toEqual(['instance-0', 'instance-1']);
    expect(rec.runs[1]!.ctx.scheduledAt).toBe(rec.runs[0]!.ctx.scheduledAt); // the same run, done again
    expect(await row()).toMatchObject({ status: JobStatus.running, holder: 'instance-1' });

    // Had the old holder only been frozen, its next renewal tells it to stop.
    await a!.scheduler.renewLeases();
    expect(rec.runs[0]!.ctx.signal.aborted).toBe(true);
    expect(rec.runs[1]!.ctx.signal.aborted).toBe(false);

    rec.release();
    await idleAll();
    const after = await row();
    expect(after).toMatchObject({ status: JobStatus.waiting, holder: null });
    expect(after.nextTime).toBeGreaterThan(clock.now());
    expect((await a!.metrics.lost.get()).values[0]?.value).toBe(1);
  });

  it('when a job is paused, then it never runs while due, and after resume it runs at its next cron time', async () => {
    expect((await admin.pause('every-minute')).status).toBe('paused');
    for (let i = 0; i < 5; i++) {
      clock.advance(MINUTE);
      expect(await tickAll()).toBe(0);
    }
    expect(rec.runs).toHaveLength(0);
    const resumed = await admin.resume('every-minute');
    expect(resumed.status).toBe('waiting');
    expect(await tickAll()).toBe(0); // missed runs are not replayed
    clock.advance(MINUTE);
    expect(await tickAll()).toBe(1);
    await idleAll();
    expect(rec.runs).toHaveLength(1);
  });

  it('when a running job is paused, then its holder is told at the next renewal and the job stays paused', async () => {
    rec.block();
    clock.advance(MINUTE);
    expect(await tickAll()).toBe(1);
    await admin.pause('every-minute');
    await Promise.all(instances.map((i) => i.scheduler.renewLeases()));
    expect(rec.runs[0]!.ctx.signal.aborted).toBe(true);
    rec.release();
    await idleAll();
    expect(await row()).toMatchObject({ status: JobStatus.paused, holder: null });
    clock.advance(10 * MINUTE);
    expect(await tickAll()).toBe(0);
  });

  it('when a handler throws, then the failure is counted and logged P1 with the job name, and the next run is scheduled', async () => {
    const failing = build(0, () => [{ name: 'failing', cron: '*/5 * * * *', handler: async () => Promise.reject(new Error('boom')) }]);
    await failing.scheduler.sync();
    clock.advance(5 * MINUTE);
    expect(await failing.scheduler.tick()).toBe(1);
    await failing.scheduler.idle();
    expect((await failing.metrics.failures.get()).values).toEqual([expect.objectContaining({ value: 1, labels: { job: 'failing' } })]);
    expect(logs).toContainEqual(expect.objectContaining({ severity: 'P1', job: 'failing', code: 510001 }));
    expect(await row('failing')).toMatchObject({ status: JobStatus.waiting, lastError: 'Error: boom', nextTime: Date.UTC(2026, 0, 1, 0, 10) });
  });

  it('when a job is registered with a bad cron expression or twice, then registration fails at once', () => {
    const noop = async () => {};
    expect(() => build(0, () => [{ name: 'bad', cron: 'every minute', handler: noop }])).toThrow(expect.objectContaining({ code: 410002 }));
    expect(() => build(0, () => [{ name: 'twice', cron: '* * * * *', handler: noop }, { name: 'twice', cron: '* * * * *', handler: noop }])).toThrow(/twice/);
  });

  it('when an admin names a job that does not exist, then the answer is a not-found error', async () => {
    await expect(admin.pause('nope')).rejects.toMatchObject({ code: 410001 });
    await expect(admin.resume('nope')).rejects.toMatchObject({ code: 410001 });
  });
});
