import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { STRONG_PASSWORD, buildTestApp, type TestApp } from '../support/app.js';
import { AppError } from '../../src/pkg/errors/app-error.js';
import { UserCodes } from '../../src/modules/user/user.errors.js';

/** The small additions other modules' services got for the Conduit layer, on every database. */
describe.each(stacks)('service additions for Conduit on $dialect', (stack) => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await buildTestApp(stack);
  });
  afterAll(async () => t.close());

  const users = () => t.container.users.service;
  const articles = () => t.container.articles.service;
  const newUid = () => users().signup(`svc${Date.now().toString(36)}${++seq}@example.com`, STRONG_PASSWORD, STRONG_PASSWORD);
  const publish = (uid: number, title: string, tags: string[] = []) => articles().publish(uid, { title, content: 'body', tags });

  it('when the write joined to a publish fails, then no article, tag row or event is left', async () => {
    const uid = await newUid();
    const pending = await t.container.outbox.pending();
    await expect(
      articles().publish(uid, { title: 'Doomed', content: 'body', tags: ['doomed-tag'] }, async () => {
        throw new Error('the joined write failed');
      }),
    ).rejects.toThrow('the joined write failed');
    expect(await articles().listByAuthor(uid, 0, 10)).toEqual([]);
    expect((await articles().publishedWhere({ tag: 'doomed-tag' }, 0, 10)).total).toBe(0);
    expect(await t.container.outbox.pending()).toBeLessThanOrEqual(pending);
  });

  it('when the write joined to a signup fails, then no account is left and the email is free again', async () => {
    const email = `joined${Date.now().toString(36)}@example.com`;
    await expect(
      users().signup(email, STRONG_PASSWORD, STRONG_PASSWORD, async () => {
        throw new Error('the joined write failed');
      }),
    ).rejects.toThrow('the joined write failed');
    await expect(users().login(email, STRONG_PASSWORD)).rejects.toMatchObject({ code: UserCodes.wrongCredentials.code });
    expect(await users().signup(email, STRONG_PASSWORD, STRONG_PASSWORD)).toBeGreaterThan(0);
  });

  it('when published articles are filtered, then authors, tag and ids intersect, withdrawn ones drop out, and the total counts all pages', async () => {
    const [a, b] = [await newUid(), await newUid()];
    const tag = `svc-${Date.now().toString(36)}`;
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      t.clock.advance(1000);
      ids.push(await publish(i % 2 === 0 ? a : b, `Filtered ${i}`, i < 3 ? [tag] : []));
    }
    const ofPage = (r: { list: { id: number }[]; total: number }) => [r.list.map((x) => x.id), r.total];
    expect(ofPage(await articles().publishedWhere({ tag: tag.toUpperCase() }, 0, 2))).toEqual([[ids[2], ids[1]], 3]);
    expect(ofPage(await articles().publishedWhere({ authorIds: [a, b], tag }, 2, 2))).toEqual([[ids[0]], 3]);
    expect(ofPage(await articles().publishedWhere({ authorIds: [b], ids: [ids[0]!, ids[1]!, ids[3]!] }, 0, 10))).toEqual([[ids[3], ids[1]], 2]);
    expect(ofPage(await articles().publishedWhere({ authorIds: [] }, 0, 10))).toEqual([[], 0]);
    expect(ofPage(await articles().publishedWhere({ ids: [] }, 0, 10))).toEqual([[], 0]);
    expect(ofPage(await articles().publishedWhere({ tag: '<nope>' }, 0, 10))).toEqual([[], 0]);
    await articles().withdraw(b, ids[1]!);
    expect(ofPage(await articles().publishedWhere({ authorIds: [b] }, 0, 10))).toEqual([[ids[3]], 1]);
    expect(ofPage(await articles().publishedWhere({ tag }, 0, 10))).toEqual([[ids[2], ids[0]], 2]);
  });

  it('when a user has liked articles, then likedIds lists them newest like first, at most max, unlikes gone', async () => {
    const [author, fan] = [await newUid(), await newUid()];
    const ids = [await publish(author, 'L1'), await publish(author, 'L2'), await publish(author, 'L3')];
    const interactive = t.container.interactive.service;
    for (const id of [ids[1]!, ids[0]!, ids[2]!]) {
      t.clock.advance(1000);
      await interactive.like(fan, 'article', id, true);
    }
    expect(await interactive.likedIds(fan, 'article', 10)).toEqual([ids[2], ids[0], ids[1]]);
    expect(await interactive.likedIds(fan, 'article', 2)).toEqual([ids[2], ids[0]]);
    await interactive.like(fan, 'article', ids[0]!, false);
    expect(await interactive.likedIds(fan, 'article', 10)).toEqual([ids[2], ids[1]]);
    expect(await interactive.likedIds(fan, 'comment', 10)).toEqual([]);
  });

  it("when a user changes email and password, then both log in, another's email is a conflict, and the profile shows the new email", async () => {
    const uid = await newUid();
    const other = `taken${Date.now().toString(36)}@example.com`;
    await users().signup(other, STRONG_PASSWORD, STRONG_PASSWORD);
    const mine = `Mine${Date.now().toString(36)}@Example.com`;
    await users().changeAccount(uid, { email: mine, password: 'changed#Pass9', aboutMe: 'engines' });
    expect((await users().login(mine.toLowerCase(), 'changed#Pass9')).id).toBe(uid);
    expect(await users().profile(uid)).toMatchObject({ email: mine.toLowerCase(), aboutMe: 'engines' });
    const conflict = await users().changeAccount(uid, { email: other.toUpperCase(), aboutMe: 'lost' }).catch((err: unknown) => err);
    expect(conflict).toBeInstanceOf(AppError);
    expect((conflict as AppError).code).toBe(UserCodes.emailTaken.code);
    expect((await users().profile(uid)).aboutMe).toBe('engines'); // the about-me of the refused change was not kept either
    await expect(users().changeAccount(987654321, { email: 'ghost@example.com' })).rejects.toMatchObject({ code: UserCodes.userNotFound.code });
  });

  it('when the write joined to an account change fails, then email, password and about-me stay as they were', async () => {
    const email = `joined-change${Date.now().toString(36)}@example.com`;
    const uid = await users().signup(email, STRONG_PASSWORD, STRONG_PASSWORD);
    await expect(
      users().changeAccount(uid, { email: `moved${email}`, password: 'changed#Pass9', aboutMe: 'half written' }, async () => {
        throw new Error('the joined write failed');
      }),
    ).rejects.toThrow('the joined write failed');
    expect(await users().profile(uid)).toMatchObject({ email, aboutMe: '' });
    expect((await users().login(email, STRONG_PASSWORD)).id).toBe(uid);
  });
});
