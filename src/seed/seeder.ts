import { faker } from '@faker-js/faker';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { insertManyReturningIds, type Dialect } from '../pkg/db/dialect.js';
import { ArticleStatus } from '../modules/article/article.domain.js';
import { markdownBody, title } from './markdown.js';

export interface SeedSize {
  users: number;
  articles: number;
  likes: number;
  collects: number;
  /** The same seed gives the same data set. */
  seed: number;
}

/** Reports progress phase by phase (a progress bar on a terminal). */
export interface SeedProgress {
  phase(name: string, total: number): void;
  advance(by: number): void;
  done(): void;
}

export interface SeedSummary {
  users: number;
  articles: number;
  published: number;
  likes: number;
  collections: number;
  collects: number;
  firstUserEmail: string;
}

/** Every seeded account logs in with this password: demo data, never for production. */
export const SEED_PASSWORD = 'webook#Seed1';

/** Every seeded account's email ends with this; the seeder refuses to seed twice. */
export const SEED_EMAIL_DOMAIN = '@seed.webook.test';
const YEAR_MS = 365 * 24 * 3600_000;

/**
 * Realistic fake data straight into the tables, in multi-row batches: users, articles in
 * both tables (mostly published, some drafts and withdrawn), likes and collections skewed
 * towards a popular head (so rankings have a shape), and counters that agree with them.
 */
export async function seedDatabase(
  db: Kysely<DB>,
  dialect: Dialect,
  size: SeedSize,
  passwordHash: string,
  progress: SeedProgress,
  now = Date.now(),
): Promise<SeedSummary> {
  const existing = await db.selectFrom('users').select('id').where('email', 'like', `%${SEED_EMAIL_DOMAIN}`).limit(1).executeTakeFirst();
  if (existing) throw new Error('this database is already seeded (seed users exist); seed a fresh database instead');
  faker.seed(size.seed);
  const uids = await seedUsers(db, dialect, size.users, passwordHash, progress, now);
  const { published } = await seedArticles(db, dialect, uids, size.articles, progress, now);
  /** An index skewed towards 0: a few articles get most of the attention. */
  const popular = () => published[Math.floor(published.length * faker.number.float({ min: 0, max: 1 }) ** 3)]!;

  progress.phase('likes', size.likes);
  const likes = new Map<number, number>();
  const likeRows = uniquePairs(size.likes, () => [faker.helpers.arrayElement(uids), popular()]);
  for (const batch of chunks(likeRows, 1000)) {
    await db.insertInto('user_likes').values(batch.map(([uid, aid]) => ({ uid, biz: 'article', biz_id: aid, ctime: now - faker.number.int(YEAR_MS) }))).execute();
    for (const [, aid] of batch) likes.set(aid, (likes.get(aid) ?? 0) + 1);
    progress.advance(batch.length);
  }
  progress.done();

  const { folders, collects, items } = await seedCollections(db, dialect, uids, size.collects, popular, progress, now);

  progress.phase('counters', published.length);
  for (const batch of chunks(published, 1000)) {
    await db
      .insertInto('interactives')
      .values(
        batch.map((aid) => {
          const likeCnt = likes.get(aid) ?? 0;
          return {
            biz: 'article',
            biz_id: aid,
            like_cnt: likeCnt,
            collect_cnt: collects.get(aid) ?? 0,
            read_cnt: likeCnt * faker.number.int({ min: 3, max: 30 }) + faker.number.int(200),
            ctime: now,
            utime: now,
          };
        }),
      )
      .execute();
    progress.advance(batch.length);
  }
  progress.done();

  return {
    users: uids.length,
    articles: size.articles,
    published: published.length,
    likes: likeRows.length,
    collections: folders,
    collects: items,
    firstUserEmail: `user0${SEED_EMAIL_DOMAIN}`,
  };
}

async function seedUsers(db: Kysely<DB>, dialect: Dialect, count: number, passwordHash: string, progress: SeedProgress, now: number): Promise<number[]> {
  progress.phase('users', count);
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, j) => ({
      email: `user${start + j}${SEED_EMAIL_DOMAIN}`,
      password_hash: passwordHash,
      phone: null,
      nickname: faker.internet.username().slice(0, 32),
      birthday: faker.date.birthdate({ min: 18, max: 60, mode: 'age', refDate: now }).toISOString().slice(0, 10),
      about_me: faker.person.bio().slice(0, 1024),
      ctime: now - faker.number.int(YEAR_MS),
      utime: now,
    }));
    ids.push(...(await insertManyReturningIds(db, dialect, 'users', rows)));
    progress.advance(rows.length);
  }
  progress.done();
  return ids;
}

async function seedArticles(db: Kysely<DB>, dialect: Dialect, uids: number[], count: number, progress: SeedProgress, now: number) {
  progress.phase('articles', count);
  const published: number[] = [];
  for (let start = 0; start < count; start += 100) {
    const rows = Array.from({ length: Math.min(100, count - start) }, () => {
      const ctime = now - faker.number.int(YEAR_MS);
      // Some authors write a lot: the author index is skewed towards the first users.
      const author = uids[Math.floor(uids.length * faker.number.float({ min: 0, max: 1 }) ** 2)]!;
      return {
        author_id: author,
        title: title(faker),
        content: markdownBody(faker, faker.helpers.weightedArrayElement([
          { weight: 3, value: faker.number.int({ min: 300, max: 1500 }) },
          { weight: 5, value: faker.number.int({ min: 1500, max: 6000 }) },
          { weight: 2, value: faker.number.int({ min: 6000, max: 20000 }) },
        ])),
        status: faker.helpers.weightedArrayElement([
          { weight: 85, value: ArticleStatus.published },
          { weight: 10, value: ArticleStatus.draft },
          { weight: 5, value: ArticleStatus.private },
        ]) as number,
        ctime,
        utime: ctime + faker.number.int(3600_000),
      };
    });
    const ids = await insertManyReturningIds(db, dialect, 'articles', rows);
    const readers = rows.flatMap((row, i) => (row.status === ArticleStatus.draft ? [] : [{ ...row, id: ids[i]! }]));
    if (readers.length > 0) await db.insertInto('published_articles').values(readers).execute();
    published.push(...readers.filter((r) => r.status === ArticleStatus.published).map((r) => r.id));
    progress.advance(rows.length);
  }
  progress.done();
  return { published };
}

async function seedCollections(db: Kysely<DB>, dialect: Dialect, uids: number[], count: number, popular: () => number, progress: SeedProgress, now: number) {
  const names = ['Reading list', 'Favourites', 'To try at work', 'Interview prep', 'Deep dives'];
  const foldersOf = new Map<number, number[]>();
  const folderRows = uids.flatMap((uid) =>
    faker.helpers.arrayElements(names, faker.number.int({ min: 0, max: 3 })).map((name) => ({ uid, name, ctime: now, utime: now })),
  );
  progress.phase('collections', folderRows.length + count);
  for (const batch of chunks(folderRows, 500)) {
    const ids = await insertManyReturningIds(db, dialect, 'collections', batch);
    batch.forEach((f, i) => foldersOf.set(f.uid, [...(foldersOf.get(f.uid) ?? []), ids[i]!]));
    progress.advance(batch.length);
  }
  const collectors = [...foldersOf.keys()];
  const collects = new Map<number, number>();
  const pairs = collectors.length === 0 ? [] : uniquePairs(count, () => [faker.helpers.arrayElement(collectors), popular()]);
  for (const batch of chunks(pairs, 1000)) {
    await db
      .insertInto('collection_items')
      .values(batch.map(([uid, aid]) => ({ uid, biz: 'article', biz_id: aid, cid: faker.helpers.arrayElement(foldersOf.get(uid)!), ctime: now - faker.number.int(YEAR_MS) })))
      .execute();
    for (const [, aid] of batch) collects.set(aid, (collects.get(aid) ?? 0) + 1);
    progress.advance(batch.length);
  }
  progress.done();
  return { folders: folderRows.length, collects, items: pairs.length };
}

/** Up to n distinct pairs from pick (gives up on a pair after a few collisions, so dense asks end). */
function uniquePairs(n: number, pick: () => [number, number]): [number, number][] {
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (let tries = 0; out.length < n && tries < n * 5; tries++) {
    const pair = pick();
    const key = `${pair[0]}:${pair[1]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pair);
  }
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
