import { defineCodes } from '../pkg/errors/app-error.js';

/** Module 10 (jobs and their scheduler). */
export const JobCodes = defineCodes({
  notFound: { code: 410001, kind: 'not_found', msg: 'no such job', severity: 'P3' },
  invalidCron: { code: 410002, kind: 'invalid', msg: 'not a valid cron expression', severity: 'P3' },
  // Logged with the job's name whenever a handler throws; the next run is still scheduled.
  runFailed: { code: 510001, kind: 'internal', msg: 'a scheduled job failed', severity: 'P1' },
});
