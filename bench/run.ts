import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DB } from '../src/db/schema.js';
import { openDatabase } from '../src/pkg/db/database.js';
import { load, type LoadResult } from './load.js';
import { assertPortFree, clearRedisPrefix, clientHeaders, cpuSeconds, finished, freshSqliteFile, killChildren, lineProgress, recreateMysqlDatabase, redisCpuSeconds, root, seedPasswordHash, serverEnv, start, us, waitFor } from './support.js';
import { seedDatabase } from '../src/seed/seeder.js';

/**
 * `npm run bench`: GET /users/profile with a valid token against a bare Fastify hello-world
 * measured in the same run, for the embedded mode and for MariaDB + Redis. The server runs
 * as built (`node dist/src/main.js`) in production mode, in its own process, as behind a
 * load balancer: the load comes from BENCH_CLIENTS client addresses (X-Forwarded-For,
 * trusted), each held to the default per-IP rate limit, which stays on.
 *
 *   BENCH_SECONDS (10)  BENCH_ROUNDS (3: hello-world, profile, hello-world each; the median round is reported)
 *   BENCH_CONNECTIONS (64)  BENCH_USERS (1000)  BENCH_CLIENTS (5000)
 *   BENCH_MYSQL_URL (mysql://root@127.0.0.1:3306/webook_bench_profile)  BENCH_REDIS_URL (redis://127.0.0.1:6379/0)
 *   BENCH_ONLY (a word of a scenario's name)  BENCH_SERVER_ARGS (extra node flags, e.g. --cpu-prof)
 *   BENCH_NODE (the node binary for the servers, hello-world included; default: this one)
 *   BENCH_PORT (8090: hello-world's port; the servers listen on BENCH_PORT + 10 + i)
 *
 * Besides req/s it reports CPU time per request of the server under test (from /proc) and,
 * with Redis, of Redis (INFO cpu): on a shared machine those move much less than req/s.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const userCount = Number(process.env.BENCH_USERS ?? 1000);
const clientCount = Number(process.env.BENCH_CLIENTS ?? 5000);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/webook_bench_profile';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const only = process.env.BENCH_ONLY?.toLowerCase();
const serverArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
const serverNode = process.env.BENCH_NODE ?? process.execPath;
const helloPort = Number(process.env.BENCH_PORT ?? 8090);
const hello = `http://127.0.0.1:${helloPort}/hello`;
const UA = 'webook-bench';

interface Scenario {
  name: string;
  env: Record<string, string>;
  prepare(): Promise<void>;
}

const sqliteFile = freshSqliteFile();
const recreateMysql = async () => {
  await recreateMysqlDatabase(mysqlUrl);
  await clearRedisPrefix(redisUrl, 'webook-bench-profile:');
};
const scenarios: Scenario[] = [
  { name: 'embedded (SQLite + memory cache)', env: { WEBOOK_DB: `sqlite:${sqliteFile}`, WEBOOK_CACHE: 'memory' }, prepare: async () => {} },
  {
    name: 'MariaDB + Redis',
    env: { WEBOOK_DB: mysqlUrl, WEBOOK_CACHE: redisUrl, WEBOOK_CACHE_PREFIX: 'webook-bench-profile:' },
    prepare: recreateMysql,
  },
];

/** Runs a load and reports the CPU time per response of the given process (and of Redis). */
async function measured(pid: number | undefined, withRedis: boolean, run: () => Promise<LoadResult>): Promise<Measured> {
  const redis0 = withRedis ? await redisCpuSeconds(redisUrl) : NaN;
  const cpu0 = cpuSeconds(pid);
  const result = await run();
  const cpu1 = cpuSeconds(pid);
  const redis1 = withRedis ? await redisCpuSeconds(redisUrl) : NaN;
  return { ...result, cpuUs: ((cpu1 - cpu0) * 1e6) / result.total, redisUs: ((redis1 - redis0) * 1e6) / result.total };
}

type Measured = LoadResult & { cpuUs: number; redisUs: number };
interface Round {
  before: Measured;
  profile: Measured;
  after: Measured;
  baseline: number;
  ratio: number;
}
/** The round whose ratio is the median (the lower middle one for an even count). */
const medianRound = (rounds: Round[]): Round => [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)]!;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmt = (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;

async function main(): Promise<void> {
  const serverVersion = execFileSync(serverNode, ['-v']).toString().trim();
  console.log(
    `bench: ${seconds}s per measurement, ${connections} connections, ${clientCount} client addresses, ` +
      `${userCount} seeded users, servers on Node ${serverVersion}`,
  );
  await assertPortFree(helloPort);
  const helloServer = start(['--import', 'tsx', 'bench/hello.ts'], { PORT: String(helloPort) }, serverNode);
  await waitFor(hello);
  const passwordHash = await seedPasswordHash();
  const rows: string[] = [];

  for (const [i, scenario] of scenarios.entries()) {
    if (only && !scenario.name.toLowerCase().includes(only)) continue;
    console.log(`\n## ${scenario.name}`);
    const port = helloPort + 10 + i;
    await assertPortFree(port);
    const env: Record<string, string> = { ...serverEnv(port), ...scenario.env };
    await scenario.prepare();
    const migrate = start(['dist/src/cli/migrate.js'], env);
    if ((await finished(migrate)) !== 0) throw new Error('migrate failed');
    const database = openDatabase<DB>(env.WEBOOK_DB!, { pool: 2 });
    // The users of `npm run seed` (same seed, same data), with a few articles: the profile only reads users.
    const size = { users: userCount, articles: 100, likes: 200, collects: 100, seed: 42 };
    await seedDatabase(database.db, database.dialect, size, passwordHash, lineProgress);
    await database.close();

    const server = start([...serverArgs, 'dist/src/main.js'], env, serverNode);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`);
    const headers = await clientHeaders(base, Math.min(50, userCount), clientCount, UA);

    await load(`${base}/users/profile`, { seconds: 3, connections, headers }); // warm-up
    await load(hello, { seconds: 3, connections });
    const withRedis = scenario.env.WEBOOK_CACHE !== 'memory';
    // Rounds of hello-world, profile, hello-world: each round's ratio is against the mean of
    // the two hello-worlds around it, and the median round is reported, so one disturbed
    // measurement on a shared machine moves the figure less.
    const results: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      const before = await measured(helloServer.pid, false, () => load(hello, { seconds, connections }));
      const profile = await measured(server.pid, withRedis, () => load(`${base}/users/profile`, { seconds, connections, headers }));
      const after = await measured(helloServer.pid, false, () => load(hello, { seconds, connections }));
      const baseline = (before.rps + after.rps) / 2;
      const round = { before, profile, after, baseline, ratio: profile.rps / baseline };
      results.push(round);
      console.log(
        `round ${r + 1}: hello-world ${fmt(before)} / ${fmt(after)}; GET /users/profile ${fmt(profile)}, ` +
          `${us(profile.cpuUs)} µs CPU/req (Redis ${us(profile.redisUs)}), errors ${profile.errors + profile.non2xx}; ratio ${pct(round.ratio)}`,
      );
    }
    const { before, profile, after, baseline, ratio } = medianRound(results);
    const helloCpu = (before.cpuUs + after.cpuUs) / 2;
    const spread = results.map((x) => x.ratio).sort((a, b) => a - b);
    console.log(`ratio profile / hello-world, median of ${rounds}: ${pct(ratio)} (rounds ${spread.map(pct).join(', ')}; goal >= 60%)`);
    rows.push(
      `| ${scenario.name} | ${Math.round(baseline).toLocaleString('en-US')} | ${Math.round(profile.rps).toLocaleString('en-US')} | ` +
        `${profile.p50} / ${profile.p99} | ${before.p50} / ${before.p99} | **${pct(ratio)}** | ${spread.map(pct).join(', ')} | ` +
        `${us(profile.cpuUs)} / ${us(helloCpu)} | ${us(profile.redisUs)} | ${results.reduce((n, x) => n + x.profile.errors + x.profile.non2xx, 0)} |`,
    );
    server.kill('SIGTERM');
    await finished(server);
  }
  helloServer.kill('SIGTERM');

  const table = [
    '| mode | hello-world req/s | profile req/s | profile p50 / p99 ms | hello p50 / p99 ms | ratio (median round) | all rounds | server CPU µs/req profile / hello | Redis CPU µs/req | errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  console.log(`\n${table}`);
  writeFileSync(path.join(root, 'bench', 'last-run.md'), `${new Date().toISOString()} servers on Node ${serverVersion}\n\n${table}\n`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    killChildren();
  });
