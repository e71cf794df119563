import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedDatabase, type SeedProgress } from '../../src/seed/seeder.js';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get } from '../support/articles.js';

/** Records the phases it is told of, shows nothing. */
function recorder(): SeedProgress & { phases: string[] } {
  const phases: string[] = [];
  return { phases, phase: (name) => void phases.push(name), advance() {}, done() {} };
}

describe.each(stacks)('seeding $dialect', (stack) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(stack);
  });
  afterAll(async () => t.close());

  it('when a database is seeded, then the data is consistent, readable and seeding again is refused', async () => {
    const { db, dialect } = t.container.backends.database;
    const silent = recorder();
    const summary = await seedDatabase(db, dialect, { users: 30, articles: 120, likes: 400, collects: 150, seed: 7 }, 'not-a-real-hash', silent);
    expect(silent.phases).toEqual(['users', 'articles', 'likes', 'collections', 'counters']);
    expect(summary).toMatchObject({ users: 30, articles: 120 });

    const count = async (table: 'users' | 'articles' | 'published_articles' | 'user_likes' | 'collection_items') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('articles')).toBe(120);
    expect(await count('user_likes')).toBe(summary.likes);
    expect(await count('collection_items')).toBe(summary.collects);
    const sums = await db
      .selectFrom('interactives')
      .select([sql<number>`sum(like_cnt)`.as('likes'), sql<number>`sum(collect_cnt)`.as('collects'), sql<number>`count(*)`.as('rows')])
      .executeTakeFirstOrThrow();
    expect(Number(sums.likes)).toBe(summary.likes);
    expect(Number(sums.collects)).toBe(summary.collects);
    expect(Number(sums.rows)).toBe(summary.published);

    // A liked article reads with the seeded counters through the API.
    const top = await db.selectFrom('interactives').select(['biz_id', 'like_cnt']).orderBy('like_cnt', 'desc').limit(1).executeTakeFirstOrThrow();
    const page = bodyOf(await get(t.app, `/articles/pub/${top.biz_id}`));
    expect(page.data.likeCnt).toBe(Number(top.like_cnt));
    expect(page.data.content.length).toBeGreaterThan(100);

    await expect(seedDatabase(db, dialect, { users: 1, articles: 0, likes: 0, collects: 0, seed: 1 }, 'x', silent)).rejects.toThrow(/already seeded/);
  });
});
