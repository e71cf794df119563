import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { SessionDao } from '../../src/modules/session/session.dao.js';
import type { Database } from '../../src/pkg/db/database.js';
import { dialects, freshDatabase } from '../support/backends.js';

describe.each(dialects)('session dao on %s', (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  let dao: SessionDao;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    dao = new SessionDao(database.db);
  });
  afterAll(async () => drop());

  const start = (ssid: string, expiresAt = 10_000) =>
    dao.insert({ ssid, uid: 7, refreshJti: 'j0', uaHash: 'ua', expiresAt }, 1);

  it('when a session is inserted, then it reads back', async () => {
    await start('s-read');
    expect(await dao.find('s-read')).toEqual({ ssid: 's-read', uid: 7, refreshJti: 'j0', uaHash: 'ua', expiresAt: 10_000, revoked: false });
    expect(await dao.find('missing')).toBeUndefined();
  });

  it('when rotating from the current id, then it swaps once and slides the end', async () => {
    await start('s-rot');
    expect(await dao.rotate('s-rot', 'j0', 'j1', 100, 20_000)).toBe(true);
    expect(await dao.rotate('s-rot', 'j0', 'j2', 101, 20_000)).toBe(false);
    expect(await dao.find('s-rot')).toMatchObject({ refreshJti: 'j1', expiresAt: 20_000 });
  });

  it('when 20 rotations of one token race, then exactly one wins', async () => {
    await start('s-race');
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => dao.rotate('s-race', 'j0', `n${i}`, 100, 20_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('when revoked or expired, then it cannot rotate', async () => {
    await start('s-rev');
    await dao.revoke('s-rev', 5);
    expect(await dao.find('s-rev')).toMatchObject({ revoked: true });
    expect(await dao.rotate('s-rev', 'j0', 'j1', 6, 20_000)).toBe(false);
    await start('s-exp', 50);
    expect(await dao.rotate('s-exp', 'j0', 'j1', 50, 20_000)).toBe(false);
  });
});
