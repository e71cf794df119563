import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/pkg/db/database.js';
import type { DB } from '../../src/db/schema.js';
import { isUniqueViolation } from '../../src/pkg/db/dialect.js';
import { UserDao } from '../../src/modules/user/user.dao.js';
import { dialects, freshDatabase } from '../support/backends.js';

describe.each(dialects)('user dao on %s', (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  let dao: UserDao;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    dao = new UserDao(database.db, dialect);
  });
  afterAll(async () => drop());

  it('when a user is inserted, then it reads back by id and email with numbers as numbers', async () => {
    const now = 1_795_000_000_123;
    const id = await dao.insert({ email: 'ada@example.com', passwordHash: 'h', phone: null }, now);
    expect(typeof id).toBe('number');
    const byId = await dao.findById(id);
    expect(byId).toEqual({
      id,
      email: 'ada@example.com',
      passwordHash: 'h',
      phone: null,
      nickname: '',
      birthday: null,
      aboutMe: '',
      ctime: now,
      utime: now,
    });
    expect(await dao.findByEmail('ada@example.com')).toEqual(byId);
  });

  it('when ids are generated, then they increase', async () => {
    const a = await dao.insert({ email: 'a1@example.com', passwordHash: 'h', phone: null }, 1);
    const b = await dao.insert({ email: 'a2@example.com', passwordHash: 'h', phone: null }, 1);
    expect(b).toBeGreaterThan(a);
  });

  it('when an email is taken, then the driver error is recognised as a unique violation', async () => {
    await dao.insert({ email: 'dup@example.com', passwordHash: 'h', phone: null }, 1);
    const err = await dao.insert({ email: 'dup@example.com', passwordHash: 'h', phone: null }, 2).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
  });

  it('when several accounts have no email, then the unique index lets them be', async () => {
    await dao.insert({ email: null, passwordHash: null, phone: '13800000001' }, 1);
    await expect(dao.insert({ email: null, passwordHash: null, phone: '13800000002' }, 1)).resolves.toBeTypeOf('number');
  });

  it('when 10 signups race for one email, then exactly one row is written', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => dao.insert({ email: 'race@example.com', passwordHash: 'h', phone: null }, 1)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isUniqueViolation(r.reason)).toBe(true);
  });

  it('when a profile is edited partly, then only the given fields and utime change', async () => {
    const id = await dao.insert({ email: 'edit@example.com', passwordHash: 'h', phone: null }, 1);
    expect(await dao.updateProfile(id, { nickname: '小明', aboutMe: 'Go 与 TypeScript 🚀' }, 5)).toBe(true);
    expect(await dao.updateProfile(id, { birthday: '1990-02-03' }, 6)).toBe(true);
    const user = await dao.findById(id);
    expect(user).toMatchObject({ nickname: '小明', aboutMe: 'Go 与 TypeScript 🚀', birthday: '1990-02-03', ctime: 1, utime: 6 });
    expect(await dao.updateProfile(999_999, { nickname: 'x' }, 7)).toBe(false);
  });

  it('when about-me is 1024 characters of 4-byte text, then it is stored whole', async () => {
    const id = await dao.insert({ email: 'long@example.com', passwordHash: 'h', phone: null }, 1);
    const text = '😀'.repeat(1024);
    await dao.updateProfile(id, { aboutMe: text }, 2);
    expect((await dao.findById(id))?.aboutMe).toBe(text);
  });
});
