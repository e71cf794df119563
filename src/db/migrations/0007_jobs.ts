import type { Kysely, Migration } from 'kysely';
import { addIdColumn, withTableOptions, type Dialect } from '../../pkg/db/dialect.js';

/**
 * Scheduled jobs as rows (src/jobs/): every instance's scheduler claims a due row with an
 * optimistic update on `version`, holds it while `lease_until` is renewed, and frees it
 * with the next run time. Status: 0 waiting, 1 running, 2 paused.
 */
export const jobs = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await withTableOptions(dialect, addIdColumn(dialect, db.schema.createTable('jobs')))
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('cron', 'varchar(128)', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('status', 'smallint', (c) => c.notNull())
      .addColumn('next_time', 'bigint', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('holder', 'varchar(128)')
      .addColumn('lease_until', 'bigint', (c) => c.notNull())
      .addColumn('last_start', 'bigint')
      .addColumn('last_end', 'bigint')
      .addColumn('last_error', 'varchar(1024)')
      .addColumn('ctime', 'bigint', (c) => c.notNull())
      .addColumn('utime', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uk_jobs_name').on('jobs').column('name').unique().execute();
    // The scheduler's poll: due waiting jobs and running jobs whose lease ran out.
    await db.schema.createIndex('idx_jobs_status_next').on('jobs').columns(['status', 'next_time']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('jobs').execute();
  },
});
