import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** The real process over a real socket, as `npm start` and `npm run migrate` run it. */
const root = path.resolve(import.meta.dirname, '../..');
const running: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(script: string, env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHttp(url: string, ms = 20_000): Promise<Response> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('the webook process', () => {
  it('when started with no configuration, then it migrates a SQLite file under the data dir and serves', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'webook-e2e-'));
    const port = await freePort();
    const proc = run('src/main.ts', { WEBOOK_DATA_DIR: dataDir, PORT: String(port) });
    const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(existsSync(path.join(dataDir, 'webook.db'))).toBe(true);

    const signup = await fetch(`http://127.0.0.1:${port}/users/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'e2e' },
      body: JSON.stringify({ email: 'e2e@example.com', password: 'hello#World1', confirmPassword: 'hello#World1' }),
    });
    expect(signup.status).toBe(200);
    const token = signup.headers.get('x-jwt-token');
    const profile = await fetch(`http://127.0.0.1:${port}/users/profile`, { headers: { authorization: `Bearer ${token}`, 'user-agent': 'e2e' } });
    expect(((await profile.json()) as { data: { email: string } }).data.email).toBe('e2e@example.com');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0); // graceful stop
    expect(proc.output()).toMatch(/"traceId"/);
  });

  it('when production starts without secrets, then it refuses and says which', async () => {
    const proc = run('src/main.ts', { WEBOOK_MODE: 'production' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/WEBOOK_JWT_ACCESS_SECRET[\s\S]*WEBOOK_JWT_REFRESH_SECRET/);
  });

  it('when production finds the schema behind, then it refuses until `migrate` runs', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'webook-e2e-'));
    const port = await freePort();
    const env = {
      WEBOOK_MODE: 'production',
      WEBOOK_DB: `sqlite:${path.join(dataDir, 'prod.db')}`,
      WEBOOK_JWT_ACCESS_SECRET: 'p'.repeat(40),
      WEBOOK_JWT_REFRESH_SECRET: 'q'.repeat(40),
      PORT: String(port),
      HOST: '127.0.0.1',
    };
    const refused = run('src/main.ts', env);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/npm run migrate/);

    const migrate = run('src/cli/migrate.ts', env);
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toMatch(/0001_users/);

    const server = run('src/main.ts', env);
    expect((await waitForHttp(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('when a fresh data dir is seeded and the server started, then a reader finds and reads the articles, with progress shown while seeding', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'webook-e2e-'));
    const seed = run('src/cli/seed.ts', { WEBOOK_DATA_DIR: dataDir }, ['--users', '5', '--articles', '20', '--likes', '30', '--collects', '10']);
    expect(await seed.exited).toBe(0);
    expect(seed.output()).toMatch(/articles: 20 to write/);
    expect(seed.output()).toMatch(/seeded in .* 5 users, 20 articles/);
    const again = run('src/cli/seed.ts', { WEBOOK_DATA_DIR: dataDir }, ['--users', '1']);
    expect(await again.exited).toBe(1);
    expect(again.output()).toMatch(/already seeded/);

    const port = await freePort();
    run('src/main.ts', { WEBOOK_DATA_DIR: dataDir, PORT: String(port) });
    const newest = await waitForHttp(`http://127.0.0.1:${port}/articles/pub/newest?limit=5`);
    const list = ((await newest.json()) as { data: { id: number; title: string }[] }).data;
    expect(list.length).toBeGreaterThan(0);
    const page = await fetch(`http://127.0.0.1:${port}/articles/pub/${list[0]!.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await page.json()) as { data: { title: string; content: string; author: { name: string } } };
    expect(body.data.title).toBe(list[0]!.title);
    expect(body.data.content).toMatch(/\S/);

    const login = await fetch(`http://127.0.0.1:${port}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'user0@seed.webook.test', password: 'webook#Seed1' }),
    });
    expect(login.status).toBe(200);
  });

  it('when the embedded server stops right after pages were read, then a restart shows every one of those reads counted', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'webook-e2e-'));
    const seed = run('src/cli/seed.ts', { WEBOOK_DATA_DIR: dataDir }, ['--users', '2', '--articles', '5', '--likes', '0', '--collects', '0']);
    expect(await seed.exited).toBe(0);
    const port = await freePort();
    const readCnt = async (id?: number) => {
      const newest = await waitForHttp(`http://127.0.0.1:${port}/articles/pub/newest?limit=1`);
      const aid = id ?? ((await newest.json()) as { data: { id: number }[] }).data[0]!.id;
      const page = await fetch(`http://127.0.0.1:${port}/articles/pub/${aid}`);
      return { aid, readCnt: ((await page.json()) as { data: { readCnt: number } }).data.readCnt };
    };

    // Reads are counted in batches of five seconds: these are still being gathered when the stop comes.
    const first = run('src/main.ts', { WEBOOK_DATA_DIR: dataDir, PORT: String(port) });
    const { aid, readCnt: before } = await readCnt();
    for (let i = 0; i < 4; i++) await readCnt(aid);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    run('src/main.ts', { WEBOOK_DATA_DIR: dataDir, PORT: String(port) });
    expect((await readCnt(aid)).readCnt).toBe(before + 5);
  });
});
