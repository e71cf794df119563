import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post } from '../support/articles.js';
import { eventually } from '../support/eventually.js';

type User = { token: string; uid: number };

describe.each(stacks)('follows over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let ada: User;
  let bob: User;
  beforeAll(async () => {
    t = await buildTestApp(stack);
    [ada, bob] = await Promise.all([newUser(t.app, 'Ada'), newUser(t.app, 'Bob')]);
  });
  afterAll(async () => t.close());

  const follow = (who: User, uid: number, yes = true) => post(t.app, yes ? '/follows/follow' : '/follows/unfollow', who.token, { uid });
  const stats = async (uid: number, token: string | null = null) => bodyOf(await get(t.app, `/follows/stats?uid=${uid}`, token)).data;
  const list = async (which: string, uid: number, query = '') => bodyOf(await get(t.app, `/follows/${which}?uid=${uid}${query}`)).data;

  it('when a user follows twice and unfollows twice, then counts go 1, 1, 0, 0 on both sides and followed follows', async () => {
    const [a, b] = await Promise.all([newUser(t.app), newUser(t.app)]);
    expect((await follow(a, b.uid)).statusCode).toBe(200);
    expect(await stats(b.uid, a.token)).toEqual({ uid: b.uid, followerCnt: 1, followeeCnt: 0, followed: true });
    expect(await stats(a.uid, a.token)).toEqual({ uid: a.uid, followerCnt: 0, followeeCnt: 1, followed: false });
    await follow(a, b.uid);
    expect(await stats(b.uid)).toEqual({ uid: b.uid, followerCnt: 1, followeeCnt: 0, followed: false });
    expect((await follow(a, b.uid, false)).statusCode).toBe(200);
    expect(await stats(b.uid, a.token)).toMatchObject({ followerCnt: 0, followed: false });
    expect((await follow(a, b.uid, false)).statusCode).toBe(200);
    expect(await stats(b.uid)).toMatchObject({ followerCnt: 0 });
    expect(await stats(a.uid)).toMatchObject({ followeeCnt: 0 });
  });

  it('when 40 users follow one at once and one follows 10 times at once, then the counts are exact', async () => {
    const star = await newUser(t.app);
    const fans = await Promise.all(Array.from({ length: 40 }, () => newUser(t.app)));
    const results = await Promise.all(fans.map((f) => follow(f, star.uid)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(40).fill(200));
    const again = await Promise.all(Array.from({ length: 10 }, () => follow(fans[0]!, star.uid)));
    expect(again.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(await stats(star.uid)).toMatchObject({ followerCnt: 40, followeeCnt: 0 });
    expect(await stats(fans[0]!.uid)).toMatchObject({ followerCnt: 0, followeeCnt: 1 });
    // Mutual follows at once lock both count rows in the same order: no deadlock, exact counts.
    const mutual = await Promise.all(fans.slice(1, 11).flatMap((f) => [follow(f, fans[0]!.uid), follow(fans[0]!, f.uid)]));
    expect(mutual.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(await stats(fans[0]!.uid)).toMatchObject({ followerCnt: 10, followeeCnt: 11 });
  });

  it('when follows and unfollows of one pair race, then the counts always equal the relations that exist', async () => {
    const [a, b] = await Promise.all([newUser(t.app), newUser(t.app)]);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => follow(a, b.uid, i % 2 === 0)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    const following = (await list('followees', a.uid)).items.length;
    expect(following).toBeLessThanOrEqual(1);
    expect(await stats(b.uid, a.token)).toMatchObject({ followerCnt: following, followed: following === 1 });
    expect(await stats(a.uid)).toMatchObject({ followeeCnt: following });
  });

  it('when lists are paged while new follows arrive, then each follower is listed once, newest first', async () => {
    const star = await newUser(t.app, 'Star');
    const fans: User[] = [];
    for (let i = 0; i < 7; i++) {
      fans.push(await newUser(t.app, `Fan ${i}`));
      await follow(fans[i]!, star.uid);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: number; name: string; followedAt: number }[]; nextCursor: string | null } = await list('followers', star.uid, `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((u) => u.id));
      await follow(await newUser(t.app), star.uid); // newer than the pages so far
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(fans.map((f) => f.uid).reverse());
    expect((await list('followers', star.uid, '&limit=1')).items[0]).toMatchObject({ name: expect.stringMatching(/^user \d+$/), followedAt: expect.any(Number) });

    await follow(fans[0]!, ada.uid);
    const followees = await list('followees', fans[0]!.uid);
    expect(followees).toEqual({ items: [expect.objectContaining({ id: ada.uid, name: 'Ada' }), expect.objectContaining({ id: star.uid, name: 'Star' })], nextCursor: null });
  });

  it('when the bus refuses the follow event, then the follow still stands and the loss is logged P2', async () => {
    const [a, b] = await Promise.all([newUser(t.app), newUser(t.app)]);
    const bus = t.container.backends.bus;
    const publish = bus.publish.bind(bus);
    bus.publish = async (topic, payload, opts) => (topic === 'follow.created' ? Promise.reject(new Error('bus down')) : publish(topic, payload, opts));
    try {
      expect((await follow(a, b.uid)).statusCode).toBe(200);
    } finally {
      bus.publish = publish;
    }
    expect(await stats(b.uid, a.token)).toMatchObject({ followerCnt: 1, followed: true });
    await eventually(() => expect(t.logs.filter((l) => l.msg === 'follow event could not be published' && l.severity === 'P2')).toHaveLength(1));
  });

  it('when someone follows themselves or an unknown user, then 400 or 404 and nothing changes', async () => {
    const me = await newUser(t.app);
    const self = await follow(me, me.uid);
    expect(self.statusCode).toBe(400);
    expect(bodyOf(self)).toMatchObject({ code: 407002, data: { fields: { uid: expect.any(String) } } });
    const unknown = await follow(me, 987654321);
    expect(unknown.statusCode).toBe(404);
    expect(bodyOf(unknown).code).toBe(407001);
    for (const url of ['/follows/stats?uid=987654321', '/follows/followers?uid=987654321', '/follows/followees?uid=987654321']) {
      expect(bodyOf(await get(t.app, url)).code, url).toBe(407001);
    }
    expect(await stats(me.uid)).toMatchObject({ followerCnt: 0, followeeCnt: 0 });
  });

  it('when an anonymous caller follows, then 401; bad input is a 400 naming the field', async () => {
    expect((await post(t.app, '/follows/follow', null, { uid: bob.uid })).statusCode).toBe(401);
    expect((await post(t.app, '/follows/unfollow', null, { uid: bob.uid })).statusCode).toBe(401);
    for (const payload of [{ uid: 'bob' }, { uid: 0 }, {}, { uid: 1, extra: true }]) {
      const res = await post(t.app, '/follows/follow', ada.token, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bodyOf(res).code).toBe(400001);
    }
    for (const q of ['uid=abc', `uid=${bob.uid}&limit=0`, `uid=${bob.uid}&cursor=-1`, '']) {
      expect((await get(t.app, `/follows/followers?${q}`)).statusCode, q).toBe(400);
    }
    expect(await stats(bob.uid)).toMatchObject({ followerCnt: 0 });
  });
});
