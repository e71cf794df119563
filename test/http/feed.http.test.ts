import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_PUBLISHED } from '../../src/modules/article/article.events.js';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post, publish } from '../support/articles.js';
import { eventually } from '../support/eventually.js';

type User = { token: string; uid: number };
type Item = { kind: string; actor: { id: number; name: string }; ctime: number; articleId?: number; title?: string; commentId?: number; excerpt?: string; biz?: string; bizId?: number };
type Page = { items: Item[]; nextCursor: string | null };

/** Authors with more than this many followers are pulled at read time. */
const PUSH_MAX = 2;

describe.each(stacks)('the feed over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(stack, { WEBOOK_FEED_PUSH_MAX_FOLLOWERS: String(PUSH_MAX) });
  });
  afterAll(async () => t.close());

  const db = () => t.container.backends.database.db;
  const feed = async (who: User, query = ''): Promise<Page> => {
    const res = await get(t.app, `/feed?${query.includes('limit=') ? '' : 'limit=100'}${query}`, who.token);
    if (res.statusCode !== 200) throw new Error(`feed failed: ${res.statusCode} ${res.body}`);
    return bodyOf(res).data as Page;
  };
  const follow = async (who: User, uid: number) => expect((await post(t.app, '/follows/follow', who.token, { uid })).statusCode).toBe(200);
  /** An author with n followers (all following already). */
  const authorWith = async (n: number, name: string) => {
    const author = await newUser(t.app, name);
    const followers = await Promise.all(Array.from({ length: n }, () => newUser(t.app)));
    for (const f of followers) await follow(f, author.uid);
    return { author, followers };
  };
  const articleIds = (page: Page) => page.items.filter((i) => i.kind === 'article').map((i) => i.articleId);
  /** Publishes through HTTP (the article module's outbox puts article.published on the bus) and waits until the reader sees it. */
  const publishSeen = async (author: User, reader: User, title: string) => {
    t.clock.advance(1000);
    const id = await publish(t.app, author.token, title, 'body');
    await eventually(async () => expect(articleIds(await feed(reader))).toContain(id), 10_000);
    return id;
  };
  const inboxRows = async (articleId: number) =>
    db().selectFrom('feed_push_events').select('uid').where('kind', '=', 'article').where('ref_key', '=', `article:${articleId}`).execute();
  const outboxRow = async (articleId: number) => db().selectFrom('feed_pull_events').selectAll().where('ref_key', '=', `article:${articleId}`).execute();

  it('when an ordinary author publishes, then the article is pushed into every follower inbox', async () => {
    const { author, followers } = await authorWith(PUSH_MAX, 'Pushy');
    const id = await publishSeen(author, followers[0]!, 'pushed post');
    expect((await feed(followers[1]!)).items[0]).toMatchObject({ kind: 'article', articleId: id, title: 'pushed post', actor: { id: author.uid, name: 'Pushy' } });
    expect((await inboxRows(id)).map((r) => Number(r.uid)).sort()).toEqual(followers.map((f) => f.uid).sort());
    expect(await outboxRow(id)).toMatchObject([{ fanned_out: 1 }]);
    // Not in the author's own feed, nor in a stranger's.
    expect(articleIds(await feed(author))).not.toContain(id);
    expect(articleIds(await feed(await newUser(t.app)))).not.toContain(id);
  });

  it('when a popular author publishes, then nothing is pushed and followers pull it at read time', async () => {
    const { author, followers } = await authorWith(PUSH_MAX + 1, 'Popular');
    const id = await publishSeen(author, followers[0]!, 'pulled post');
    for (const f of followers) expect((await feed(f)).items[0]).toMatchObject({ kind: 'article', articleId: id, title: 'pulled post' });
    expect(await inboxRows(id)).toEqual([]);
    expect(await outboxRow(id)).toMatchObject([{ fanned_out: 0 }]);
    // A new follower of a pulled author sees the author's articles at once.
    const late = await newUser(t.app);
    expect(await feed(late)).toEqual({ items: [], nextCursor: null }); // reads (and caches) an empty followee list first
    await follow(late, author.uid);
    expect(articleIds(await feed(late))).toEqual([id]);
  });

  it('when a reader follows push and pull authors, then the feed merges them newest first and pages without duplicates or gaps', async () => {
    const small = await authorWith(1, 'Small');
    const big = await authorWith(PUSH_MAX + 1, 'Big');
    const reader = small.followers[0]!;
    await follow(reader, big.author.uid);
    const expected: number[] = [];
    for (let i = 0; i < 4; i++) {
      expected.push(await publishSeen(small.author, reader, `small ${i}`));
      expected.push(await publishSeen(big.author, reader, `big ${i}`));
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await feed(reader, `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...(articleIds(page) as number[]));
      await publishSeen(small.author, reader, 'newer than every page so far');
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => expected.includes(id))).toEqual([...expected].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('when push and pull entries share one timestamp, then the cursor still splits them without loss', async () => {
    const small = await authorWith(1, 'Tie small');
    const big = await authorWith(PUSH_MAX + 1, 'Tie big');
    const reader = small.followers[0]!;
    await follow(reader, big.author.uid);
    t.clock.advance(1000);
    const at = t.clock.now(); // the clock stands still: all four publications share this time
    const ids: number[] = [];
    for (const author of [small.author, big.author, small.author, big.author]) ids.push(await publish(t.app, author.token, 'tied', 'x'));
    await eventually(async () => expect((await feed(reader)).items.filter((i) => i.ctime === at)).toHaveLength(4), 10_000);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await feed(reader, `&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.filter((i) => i.ctime === at).map((i) => i.articleId!));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 4);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('when the same publication is delivered twice, then each follower gets one inbox row and one outbox row exists', async () => {
    const { author, followers } = await authorWith(PUSH_MAX, 'Twice');
    const id = await publish(t.app, author.token, 'once only', 'x');
    const event = { id, authorId: author.uid, title: 'once only', at: t.clock.now() };
    // Two deliveries of one fact (a redelivery carries a new bus id), plus the article module's own.
    await t.container.backends.bus.publish(ARTICLE_PUBLISHED, event, { id: `dup-a-${id}` });
    await t.container.backends.bus.publish(ARTICLE_PUBLISHED, event, { id: `dup-b-${id}` });
    await eventually(async () => expect(await inboxRows(id)).toHaveLength(2), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await inboxRows(id)).toHaveLength(followers.length);
    expect(await outboxRow(id)).toHaveLength(1);
    expect(articleIds(await feed(followers[0]!)).filter((a) => a === id)).toHaveLength(1);
    // Handled as "seen before", not as a failure the bus retries.
    expect(t.logs.filter((l) => l.group === 'feed-article-fanout')).toEqual([]);
    // Republishing (an edit made visible) is not a new feed entry either.
    t.clock.advance(1000);
    expect((await post(t.app, '/articles/publish', author.token, { id, title: 'once only, edited', content: 'y' })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await inboxRows(id)).toHaveLength(followers.length);
    expect((await feed(followers[0]!)).items.find((i) => i.articleId === id)).toMatchObject({ title: 'once only, edited' });
  });

  it('when others like, comment on or follow my content, then my feed tells me, my own doings do not, and deleted comments leave it', async () => {
    const me = await newUser(t.app, 'Me');
    const fan = await newUser(t.app, 'Fan');
    const aid = await publish(t.app, me.token, 'my post', 'x');
    t.clock.advance(1000);
    await post(t.app, '/articles/pub/like', fan.token, { id: aid, like: true });
    await post(t.app, '/articles/pub/like', me.token, { id: aid, like: true });
    t.clock.advance(1000);
    const cid = bodyOf(await post(t.app, '/comments/create', fan.token, { articleId: aid, content: 'nice post' })).data.id as number;
    await post(t.app, '/comments/create', me.token, { articleId: aid, content: 'thanks', parentId: cid });
    t.clock.advance(1000);
    const mine = bodyOf(await post(t.app, '/comments/create', me.token, { articleId: aid, content: 'an update' })).data.id as number;
    t.clock.advance(1000);
    const reply = bodyOf(await post(t.app, '/comments/create', fan.token, { articleId: aid, content: 'reply to you', parentId: mine })).data.id as number;
    t.clock.advance(1000);
    await post(t.app, '/comments/like', fan.token, { id: mine, like: true });
    t.clock.advance(1000);
    await follow(fan, me.uid);

    const expected = [
      { kind: 'follow', actor: { id: fan.uid, name: 'Fan' } },
      { kind: 'like', actor: { id: fan.uid }, biz: 'comment', bizId: mine, articleId: aid },
      { kind: 'comment', actor: { id: fan.uid }, commentId: reply, articleId: aid, excerpt: 'reply to you' },
      { kind: 'comment', actor: { id: fan.uid }, commentId: cid, articleId: aid, excerpt: 'nice post' },
      { kind: 'like', actor: { id: fan.uid }, biz: 'article', bizId: aid, articleId: aid },
    ];
    await eventually(async () => expect((await feed(me)).items).toMatchObject(expected), 10_000);
    // The fan hears of the reply to their comment; liking twice or re-following adds nothing.
    await eventually(async () => expect((await feed(fan)).items).toMatchObject([{ kind: 'comment', actor: { id: me.uid }, excerpt: 'thanks' }]), 10_000);
    await post(t.app, '/follows/unfollow', fan.token, { uid: me.uid });
    await follow(fan, me.uid);
    await new Promise((r) => setTimeout(r, 300));
    expect((await feed(me)).items).toHaveLength(expected.length);
    expect(t.logs.filter((l) => String(l.group).startsWith('feed-'))).toEqual([]); // duplicates are no-ops, not failures
    expect((await feed(me, '&kind=follow')).items).toMatchObject([{ kind: 'follow' }]);
    expect((await feed(me, '&kind=article')).items).toEqual([]);
    // Deleted comments leave the feeds: the fan's root (and with it my answer in its thread).
    expect((await post(t.app, '/comments/delete', fan.token, { id: cid })).statusCode).toBe(200);
    expect((await feed(me)).items.map((i) => i.commentId)).toEqual([undefined, undefined, reply, undefined]);
    expect((await feed(fan)).items).toEqual([]);
  });

  it('when a reader unfollows or an article is withdrawn, then the article leaves the feed', async () => {
    const { author, followers } = await authorWith(1, 'Leaving');
    const big = await authorWith(PUSH_MAX + 1, 'Withdrawer');
    const reader = followers[0]!;
    await follow(reader, big.author.uid);
    const pushed = await publishSeen(author, reader, 'soon unfollowed');
    const pulled = await publishSeen(big.author, reader, 'soon withdrawn');
    await post(t.app, '/follows/unfollow', reader.token, { uid: author.uid });
    expect(articleIds(await feed(reader))).toEqual([pulled]);
    await post(t.app, '/articles/withdraw', big.author.token, { id: pulled });
    expect(articleIds(await feed(reader))).toEqual([]);
    expect(pushed).toBeGreaterThan(0);
  });

  it('when the app runs, then the OpenAPI document lists every social route and /metrics counts the feed consumers', async () => {
    const doc = (await t.app.inject('/docs/json')).json() as { paths: Record<string, object> };
    const social = ['/comments/create', '/comments/delete', '/comments/list', '/comments/replies', '/comments/like', '/follows/follow', '/follows/unfollow', '/follows/stats', '/follows/followers', '/follows/followees', '/feed'];
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(social));
    const { author, followers } = await authorWith(1, 'Counted');
    await publishSeen(author, followers[0]!, 'counted');
    await eventually(async () => {
      const metrics = (await t.app.inject('/metrics')).body;
      expect(metrics).toMatch(/webook_events_settled_total\{topic="follow.created",group="feed-followed",outcome="acked"\} [1-9]/);
      expect(metrics).toMatch(/webook_events_settled_total\{topic="article.published",group="feed-article-fanout",outcome="acked"\} [1-9]/);
    }, 10_000);
  });

  it('when an event does not carry what its topic promises, then the feed drops it with a P2 line and carries on', async () => {
    const bus = t.container.backends.bus;
    // Topics only the feed consumes (article.published has other consumers, with their own rules).
    for (const topic of ['interactive.liked', 'comment.created', 'follow.created']) await bus.publish(topic, { id: 'x', uid: -1 });
    await eventually(() => expect(t.logs.filter((l) => l.msg === 'feed consumer dropped a malformed event' && l.severity === 'P2')).toHaveLength(3), 10_000);
    const { author, followers } = await authorWith(1, 'After garbage');
    await publishSeen(author, followers[0]!, 'still flowing');
    expect(t.logs.filter((l) => String(l.group).startsWith('feed-') && l.severity !== 'P2')).toEqual([]);
  });

  it('when the caller is anonymous or the query is bad, then 401 or 400', async () => {
    const me = await newUser(t.app);
    expect((await get(t.app, '/feed')).statusCode).toBe(401);
    for (const q of ['cursor=abc', 'cursor=1-2-3', 'limit=0', 'limit=101', 'kind=poke', 'other=1']) {
      const res = await get(t.app, `/feed?${q}`, me.token);
      expect(res.statusCode, q).toBe(400);
      expect(bodyOf(res).code).toBe(400001);
    }
    expect(await feed(me)).toEqual({ items: [], nextCursor: null });
    expect(await feed(me, '&cursor=999999999999999-1-9999999999999999')).toEqual({ items: [], nextCursor: null });
    expect(bodyOf(await get(t.app, '/follows/stats?uid=9999999999999999')).code).toBe(407001);
    expect(bodyOf(await get(t.app, '/comments/list?articleId=9999999999999999&cursor=9999999999999999')).code).toBe(403001);
  });
});
