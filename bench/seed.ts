import { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';

/** A small deterministic PRNG (mulberry32): the same seed gives the same data set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['gopher', 'rustacean', 'kernel', 'lambda', 'vector', 'cache', 'shard', 'replica', 'queue', 'stream'];

/**
 * Fills users with `count` accounts (bench-<i>@example.com), all sharing one argon2id hash
 * of `password` so seeding does not spend minutes hashing. Batched inserts.
 */
export async function seedUsers(db: Kysely<DB>, count: number, passwordHash: string, seed = 42): Promise<void> {
  const rand = prng(seed);
  const now = Date.UTC(2026, 0, 1);
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const word = WORDS[Math.floor(rand() * WORDS.length)]!;
      rows.push({
        email: `bench-${i}@example.com`,
        password_hash: passwordHash,
        phone: null,
        nickname: `${word}-${i}`,
        birthday: `19${70 + Math.floor(rand() * 30)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
        about_me: `I write about ${word}s and ${WORDS[Math.floor(rand() * WORDS.length)]}s.`,
        ctime: now - Math.floor(rand() * 1e10),
        utime: now,
      });
    }
    await db.insertInto('users').values(rows).execute();
    process.stdout.write(`\r  seeding users ${Math.min(count, start + batch)}/${count}`);
  }
  process.stdout.write('\n');
}
