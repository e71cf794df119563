import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/db/migrations/index.js';
import type { DB } from '../../src/db/schema.js';
import { JobDao } from '../../src/jobs/job.dao.js';
import { openDatabase } from '../../src/pkg/db/database.js';
import { createMigrator, migrateToLatest } from '../../src/pkg/db/migrator.js';

/** `npm run jobs` as an operator runs it: its own process, over the database the instances share. */
const root = path.resolve(import.meta.dirname, '../..');
const NOW = Date.now();

// Each command is a cold start of a TypeScript process: seconds apiece on a loaded machine.
describe('the jobs CLI', { timeout: 120_000 }, () => {
  let dir: string;
  let url: string;

  const cli = (...args: string[]) => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/jobs.ts', ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        WEBOOK_MODE: 'production',
        WEBOOK_DB: url,
        WEBOOK_JWT_ACCESS_SECRET: 'cli-test-access-secret-0123456789abcdef',
        WEBOOK_JWT_REFRESH_SECRET: 'cli-test-refresh-secret-0123456789abcdef',
      },
      encoding: 'utf8',
    });
    return { code: res.status, out: res.stdout, err: res.stderr };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'webook-jobs-cli-'));
    url = `sqlite:${path.join(dir, 'webook.db')}`;
    const database = openDatabase<DB>(url);
    await migrateToLatest(createMigrator(database.db as unknown as Kysely<unknown>, database.dialect, migrations));
    await new JobDao(database.db, database.dialect).insertIfAbsent({ name: 'ranking', cron: '*/3 * * * *', config: '{"topN":100}', nextTime: NOW + 60_000 }, NOW);
    await database.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when an operator lists, then each job shows its status, schedule and next run', () => {
    const table = cli('list');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^name\s+status\s+cron\s+next run/);
    expect(table.out).toMatch(new RegExp(`ranking\\s+waiting\\s+\\*/3 \\* \\* \\* \\*\\s+${new Date(NOW + 60_000).toISOString()}`));
    const json = cli('list', '--json');
    expect(JSON.parse(json.out)).toEqual([expect.objectContaining({ name: 'ranking', status: 'waiting', holder: null, lastStart: null, config: '{"topN":100}' })]);
  });

  it('when an operator pauses and resumes a job, then the row says so', () => {
    expect(cli('pause', 'ranking')).toMatchObject({ code: 0, out: 'ranking: paused\n' }); // no next run while paused
    const resumed = cli('resume', 'ranking');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/^ranking: waiting, next run \d{4}-\d\d-\d\dT/);
  });

  it('when the job does not exist or the command is unknown, then it says so with a non-zero exit', () => {
    expect(cli('pause', 'nope')).toMatchObject({ code: 1, err: '410001: no such job (nope)\n' });
    const usage = cli('explode');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^usage: npm run jobs/);
  });
});
