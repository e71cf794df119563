import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config/config.js';
import { buildContainer } from '../ioc/container.js';
import { argon2Hasher } from '../pkg/crypto/password.js';
import { SEED_PASSWORD, seedDatabase, type SeedProgress, type SeedSize } from '../seed/seeder.js';

const USAGE = `npm run seed -- [--users N] [--articles N] [--likes N] [--collects N] [--seed N]

Fills the configured database (WEBOOK_DB, default the embedded SQLite file) with fake
users, Markdown articles, likes, collections and read counts. Same --seed, same data.
Defaults: 1000 users, 10000 articles, 30000 likes, 10000 collects, seed 42.
In production mode it refuses unless --allow-production is given.`;

function parseSize(): { size: SeedSize; allowProduction: boolean } {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '1000' },
      articles: { type: 'string', default: '10000' },
      likes: { type: 'string', default: '30000' },
      collects: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '42' },
      'allow-production': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const count = (name: keyof SeedSize, min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > 10_000_000) throw new Error(`--${name} must be an integer from ${min} to 10000000`);
    return n;
  };
  return {
    size: { users: count('users', 1), articles: count('articles', 0), likes: count('likes', 0), collects: count('collects', 0), seed: count('seed', 0) },
    allowProduction: values['allow-production'],
  };
}

/** One bar per phase on a terminal; a line per phase otherwise (CI logs, pipes). */
function terminalProgress(): SeedProgress {
  const tty = process.stdout.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  let started = 0;
  let label = '';
  return {
    phase(name, total) {
      label = name;
      started = Date.now();
      if (tty) {
        bar = new cliProgress.SingleBar({ format: `${name.padEnd(12)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left` }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      } else {
        console.log(`${name}: ${total} to write`);
      }
    },
    advance: (by) => bar?.increment(by),
    done() {
      bar?.stop();
      bar = undefined;
      if (!tty) console.log(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}

async function main(): Promise<void> {
  const { size, allowProduction } = parseSize();
  const config = loadConfig();
  if (config.mode === 'production' && !allowProduction) {
    throw new Error('refusing to seed in production mode (fake users with a known password); pass --allow-production for a staging database');
  }
  const container = buildContainer(config);
  try {
    const { database } = container.backends;
    if (config.db.migrateOnStart) await container.migrate();
    const pending = await container.pendingMigrations();
    if (pending.length > 0) throw new Error(`the schema is behind (${pending.join(', ')}): run \`npm run migrate\` first`);
    console.log(`seeding ${database.dialect} with ${size.users} users, ${size.articles} articles, ${size.likes} likes, ${size.collects} collects (seed ${size.seed})`);
    const started = Date.now();
    const hash = await argon2Hasher(config.auth.argon2).hash(SEED_PASSWORD);
    const summary = await seedDatabase(database.db, database.dialect, size, hash, terminalProgress());
    console.log(
      `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.users} users, ${summary.articles} articles (${summary.published} published), ` +
        `${summary.likes} likes, ${summary.collections} collections holding ${summary.collects} articles`,
    );
    console.log(`log in as ${summary.firstUserEmail} (or user1, user2, ...) with the password ${SEED_PASSWORD}`);
  } finally {
    await container.close();
  }
}

main().catch((err: unknown) => {
  console.error('seeding failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
