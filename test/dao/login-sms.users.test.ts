import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { UserCache } from '../../src/modules/user/user.cache.js';
import { UserDao } from '../../src/modules/user/user.dao.js';
import { UserIdentityDao } from '../../src/modules/user/user.identity.dao.js';
import { UserRepository } from '../../src/modules/user/user.repository.js';
import { UserService } from '../../src/modules/user/user.service.js';
import { MemoryCache } from '../../src/pkg/cache/memory-cache.js';
import { ManualClock } from '../../src/pkg/clock/clock.js';
import type { PasswordHasher } from '../../src/pkg/crypto/password.js';
import type { Database } from '../../src/pkg/db/database.js';
import { MemoryBus } from '../../src/pkg/events/memory-bus.js';
import { EventOutbox } from '../../src/pkg/events/outbox.js';
import { createLogger } from '../../src/pkg/logger/logger.js';
import { dialects, freshDatabase } from '../support/backends.js';

/** Passwords play no part in phone and OAuth accounts. */
const noHasher = {} as PasswordHasher;

describe.each(dialects)('accounts found or created by phone and by OAuth identity on %s', (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  let users: UserService;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    const db = database.db;
    const repo = new UserRepository(new UserDao(db, dialect), new UserCache(new MemoryCache()), new UserIdentityDao(db), db, new EventOutbox(db, new MemoryBus(), createLogger('silent')));
    users = new UserService(repo, noHasher, new ManualClock());
  });
  afterAll(async () => drop());

  const countUsers = async () => Number((await database.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('when a phone logs in the first time and again, then one account holds the phone and no email or password', async () => {
    const first = await users.findOrCreateByPhone('13900000001');
    expect(first).toMatchObject({ phone: '13900000001', email: null, passwordHash: null });
    expect((await users.findOrCreateByPhone('+8613900000001')).id).toBe(first.id);
    expect((await users.findOrCreateByPhone('+447700900123')).id).not.toBe(first.id);
  });

  it('when ten first logins of one phone race, then they all get the same single account', async () => {
    const before = await countUsers();
    const results = await Promise.all(Array.from({ length: 10 }, () => users.findOrCreateByPhone('13900000002')));
    expect(new Set(results.map((u) => u.id)).size).toBe(1);
    expect((await countUsers()) - before).toBe(1);
  });

  it('when ten first logins of one identity race, then one account and one identity remain (the losers roll back their users)', async () => {
    const before = await countUsers();
    const identity = { provider: 'github', subject: '583231' };
    const results = await Promise.all(Array.from({ length: 10 }, () => users.findOrCreateByIdentity(identity)));
    expect(new Set(results.map((u) => u.id)).size).toBe(1);
    expect((await countUsers()) - before).toBe(1);
    expect(results[0]).toMatchObject({ email: null, phone: null, passwordHash: null });
    const other = await users.findOrCreateByIdentity({ provider: 'wechat', subject: '583231' });
    expect(other.id).not.toBe(results[0]!.id);
  });
});
