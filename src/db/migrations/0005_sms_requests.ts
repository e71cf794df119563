import type { Kysely, Migration } from 'kysely';
import { addIdColumn, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * SMS requests the providers could not take right away (throttled, down, timing out),
 * kept until the background resender delivers them or gives up. `next_attempt_at` is
 * both the schedule and the claim lease; `version` makes every claim and every outcome
 * a compare-and-set, so two instances never send the same row at once.
 */
export const smsRequests = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('sms_requests')))
      .addColumn('template_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('args', 'text', (c) => c.notNull())
      .addColumn('numbers', 'text', (c) => c.notNull())
      .addColumn('status', 'smallint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_error', 'varchar(512)')
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idx_sms_requests_due').on('sms_requests').columns(['status', 'next_attempt_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('sms_requests').execute();
  },
});
