import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { UserCache } from '../../src/modules/user/user.cache.js';
import { UserDao } from '../../src/modules/user/user.dao.js';
import { USER_RENAMED } from '../../src/modules/user/user.events.js';
import { UserIdentityDao } from '../../src/modules/user/user.identity.dao.js';
import { UserRepository } from '../../src/modules/user/user.repository.js';
import { MemoryCache } from '../../src/pkg/cache/memory-cache.js';
import type { Database } from '../../src/pkg/db/database.js';
import { MemoryBus } from '../../src/pkg/events/memory-bus.js';
import { EventOutbox } from '../../src/pkg/events/outbox.js';
import { createLogger } from '../../src/pkg/logger/logger.js';
import { dialects, freshDatabase } from '../support/backends.js';

// The bus is closed, so every event stays in the outbox where the transaction wrote it.
describe.each(dialects)('user.renamed written with the rename on %s', (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  let repo: UserRepository;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    const db = database.db;
    const bus = new MemoryBus();
    await bus.close();
    repo = new UserRepository(new UserDao(db, dialect), new UserCache(new MemoryCache()), new UserIdentityDao(db), db, new EventOutbox(db, bus, createLogger('silent')));
  });
  afterAll(async () => drop());

  const renames = async (uid: number) =>
    (await database.db.selectFrom('event_outbox').select('payload').where('topic', '=', USER_RENAMED).execute()).filter((r) => JSON.parse(r.payload).uid === uid).length;

  it('when the nickname changes, then one event names the user; the same nickname again, or other fields, add none', async () => {
    const uid = await repo.create({ email: `rename-${dialect}@example.com`, passwordHash: null, phone: null }, 1);
    expect(await repo.updateProfile(uid, { nickname: 'Ada' }, 2)).toBe(true);
    expect(await renames(uid)).toBe(1);
    expect(await repo.updateProfile(uid, { nickname: 'Ada', aboutMe: 'engines' }, 3)).toBe(true);
    expect(await repo.updateProfile(uid, { birthday: '1815-12-10' }, 4)).toBe(true);
    expect(await renames(uid)).toBe(1);
    expect(await repo.updateProfile(uid, { nickname: 'Countess' }, 5)).toBe(true);
    expect(await renames(uid)).toBe(2);
  });

  it('when the user does not exist, then nothing is written and no event either', async () => {
    expect(await repo.updateProfile(987_654, { nickname: 'Nobody' }, 6)).toBe(false);
    expect(await renames(987_654)).toBe(0);
  });
});
