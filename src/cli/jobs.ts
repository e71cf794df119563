import { loadConfig } from '../config/config.js';
import type { DB } from '../db/schema.js';
import { JobAdmin, type JobView } from '../jobs/job.admin.js';
import { JobDao } from '../jobs/job.dao.js';
import { systemClock } from '../pkg/clock/clock.js';
import { AppError } from '../pkg/errors/app-error.js';
import { openDatabase } from '../pkg/db/database.js';

const USAGE = `usage: npm run jobs -- <command>
  list [--json]       every job: status, schedule, last and next run, holder
  pause <name>        stop running it (a run in progress is told to stop at its next lease renewal)
  resume <name>       run it again from its next cron time`;

/**
 * `npm run jobs`: the operator's view of the scheduled jobs. Admin-only by construction:
 * it needs the database URL and credentials (WEBOOK_DB), which only operators hold; no
 * HTTP route exposes these operations.
 */
async function main(args: string[]): Promise<number> {
  const [command, name] = args;
  const config = loadConfig();
  const database = openDatabase<DB>(config.db.url, { pool: 1 });
  const admin = new JobAdmin(new JobDao(database.db, database.dialect), systemClock);
  try {
    switch (command) {
      case 'list': {
        const jobs = await admin.list();
        console.log(args.includes('--json') ? JSON.stringify(jobs, null, 2) : table(jobs));
        return 0;
      }
      case 'pause':
      case 'resume': {
        if (!name) break;
        const job = command === 'pause' ? await admin.pause(name) : await admin.resume(name);
        console.log(`${job.name}: ${job.status}${job.nextRun ? `, next run ${job.nextRun}` : ''}`);
        return 0;
      }
    }
    console.error(USAGE);
    return 2;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(`${err.code}: ${err.message}${name ? ` (${name})` : ''}`);
    return 1;
  } finally {
    await database.close();
  }
}

function table(jobs: JobView[]): string {
  if (jobs.length === 0) return 'no jobs yet (an instance creates their rows when its scheduler starts)';
  const rows = [
    ['name', 'status', 'cron', 'next run', 'last start', 'last end', 'holder', 'last error'],
    ...jobs.map((j) => [j.name, j.status, j.cron, j.nextRun, j.lastStart, j.lastEnd, j.holder, j.lastError].map((v) => v ?? '-')),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('jobs failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
