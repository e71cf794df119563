import type { Kysely, Updateable } from 'kysely';
import type { DB, SmsRequestsTable } from '../../db/schema.js';
import type { SmsArg } from './sms.js';

export const SmsRequestStatus = { pending: 0, failed: 2 } as const;

/** A queued request as the resender sees it right after claiming it. */
export interface SmsRequest {
  id: number;
  templateId: string;
  args: SmsArg[];
  numbers: string[];
  /** When it was queued. */
  ctime: number;
  /** Tries so far, this one included. */
  attempts: number;
  /** The version the claim set: every later write must name it. */
  version: number;
}

const LAST_ERROR_MAX = 512;
const clip = (s: string) => (s.length > LAST_ERROR_MAX ? s.slice(0, LAST_ERROR_MAX) : s);

/**
 * The queue of SMS requests waiting to be resent. Every write after the insert is a
 * compare-and-set on `version`: a claim succeeds for exactly one instance, and a claim
 * whose lease ran out (the instance died mid-send) can be taken over without the late
 * instance then overwriting the new owner's outcome.
 */
export class SmsRequestDao {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(templateId: string, args: SmsArg[], numbers: string[], dueAt: number, now: number): Promise<void> {
    await this.db
      .insertInto('sms_requests')
      .values({
        template_id: templateId,
        args: JSON.stringify(args),
        numbers: JSON.stringify(numbers),
        status: SmsRequestStatus.pending,
        next_attempt_at: dueAt,
        last_error: null,
        ctime: now,
        utime: now,
      })
      .execute();
  }

  /** Pending rows whose time has come (or whose claim lease ran out), oldest schedule first. */
  async due(now: number, limit: number): Promise<{ id: number; version: number }[]> {
    const rows = await this.db
      .selectFrom('sms_requests')
      .select(['id', 'version'])
      .where('status', '=', SmsRequestStatus.pending)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), version: Number(r.version) }));
  }

  /**
   * Takes the row for `leaseMs` (its schedule moves past the lease, so no one else sees it
   * as due) and counts the attempt. Null when another instance got there first.
   */
  async claim(id: number, version: number, now: number, leaseMs: number): Promise<SmsRequest | null> {
    const result = await this.db
      .updateTable('sms_requests')
      .set((eb) => ({ version: eb('version', '+', 1), attempts: eb('attempts', '+', 1), next_attempt_at: now + leaseMs, utime: now }))
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', SmsRequestStatus.pending)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return null;
    const row = await this.db.selectFrom('sms_requests').selectAll().where('id', '=', id).where('version', '=', version + 1).executeTakeFirst();
    if (!row) return null;
    return {
      id,
      templateId: row.template_id,
      args: JSON.parse(row.args) as SmsArg[],
      numbers: JSON.parse(row.numbers) as string[],
      ctime: Number(row.ctime),
      attempts: Number(row.attempts),
      version: Number(row.version),
    };
  }

  /** Delivered: the row (and the code in it) is no longer kept. */
  async delete(req: SmsRequest): Promise<boolean> {
    const result = await this.db.deleteFrom('sms_requests').where('id', '=', req.id).where('version', '=', req.version).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async reschedule(req: SmsRequest, dueAt: number, error: string, now: number): Promise<boolean> {
    return this.update(req, { next_attempt_at: dueAt, last_error: clip(error), utime: now });
  }

  /** Forgets given-up requests last touched before `before`; how many went. */
  async pruneFailed(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('sms_requests')
      .where('status', '=', SmsRequestStatus.failed)
      .where('utime', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Given up: kept for the record, with the arguments (the code) erased. */
  async markFailed(req: SmsRequest, error: string, now: number): Promise<boolean> {
    return this.update(req, { status: SmsRequestStatus.failed, args: '[]', last_error: clip(error), utime: now });
  }

  async countPending(): Promise<number> {
    const row = await this.db
      .selectFrom('sms_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', SmsRequestStatus.pending)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countByStatus(): Promise<{ pending: number; failed: number }> {
    const rows = await this.db.selectFrom('sms_requests').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    const count = (status: number) => Number(rows.find((r) => Number(r.status) === status)?.n ?? 0);
    return { pending: count(SmsRequestStatus.pending), failed: count(SmsRequestStatus.failed) };
  }

  private async update(req: SmsRequest, set: Omit<Updateable<SmsRequestsTable>, 'version'>): Promise<boolean> {
    const result = await this.db
      .updateTable('sms_requests')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('id', '=', req.id)
      .where('version', '=', req.version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
