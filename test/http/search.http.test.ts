import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post } from '../support/articles.js';
import { eventually } from '../support/eventually.js';

describe.each(stacks)('search over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let ada: { token: string; uid: number };
  let lin: { token: string; uid: number };
  beforeAll(async () => {
    t = await buildTestApp(stack);
    ada = await newUser(t.app, 'Ada Lovelace');
    lin = await newUser(t.app, '林语堂');
  });
  afterAll(async () => t.close());

  const publish = async (token: string, body: { id?: number; title: string; content: string; tags?: string[] }) => {
    t.clock.advance(1000);
    const res = await post(t.app, '/articles/publish', token, body);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf(res).data.id as number;
  };
  const search = async (query: string) => {
    const res = await get(t.app, `/search?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf(res).data as { list: { id: number; title: string; tags: string[]; author: { id: number; name: string } }[]; next: number | null };
  };
  const idsFor = async (q: string) => (await search(`q=${encodeURIComponent(q)}&limit=50`)).list.map((a) => a.id);
  /** The index follows events: wait until the search answers as expected. */
  const expectSoon = (q: string, check: (ids: number[]) => void) => eventually(async () => check(await idsFor(q)), 5000);

  it('when a Chinese article is published, then each of its words finds it, and a word it lacks does not', async () => {
    const id = await publish(lin.token, { title: '分布式系统的一致性', content: '我们讨论共识算法与数据复制。' });
    await expectSoon('一致性', (ids) => expect(ids).toContain(id));
    for (const q of ['分布式', '一致性', '一致', '分布式系统', '共识算法', '数据']) expect(await idsFor(q), q).toContain(id);
    expect(await idsFor('区块链')).not.toContain(id);
  });

  it('when an English article is published, then its words find it in any case, and all words of a query must match', async () => {
    const id = await publish(ada.token, { title: 'Notes on the Analytical Engine', content: 'The engine weaves algebraic patterns, as the Jacquard loom weaves flowers. Node.js is unrelated.' });
    await expectSoon('analytical', (ids) => expect(ids).toContain(id));
    for (const q of ['ENGINE', 'jacquard loom', 'algebraic', 'node.js', 'the']) expect(await idsFor(q), q).toContain(id);
    expect(await idsFor('jacquard submarine')).not.toContain(id);
  });

  it('when searching by tag or by author name, then the article is found', async () => {
    const id = await publish(ada.token, { title: 'Untitled thoughts', content: 'Nothing special here.', tags: ['Kubernetes', '云原生'] });
    await expectSoon('kubernetes', (ids) => expect(ids).toContain(id));
    expect(await idsFor('云原生')).toContain(id);
    expect(await idsFor('lovelace')).toContain(id);
    const byLin = await publish(lin.token, { title: 'Essay', content: 'plain words' });
    await expectSoon('林语堂', (ids) => expect(ids).toContain(byLin));
    // An author without a nickname is shown as "user <id>", but that placeholder is not indexed.
    const nameless = await newUser(t.app);
    const byNameless = await publish(nameless.token, { title: 'Anonymous capybara', content: 'x' });
    await expectSoon('capybara', (ids) => expect(ids).toEqual([byNameless]));
    expect(await idsFor('user')).not.toContain(byNameless);
  });

  it('when an author changes their nickname, then the new name finds their articles and the old one no longer does', async () => {
    const grace = await newUser(t.app, 'Grace Hopper');
    const first = await publish(grace.token, { title: 'Compilers for everyone', content: 'A language close to English.' });
    const second = await publish(grace.token, { title: 'Nanoseconds', content: 'A length of wire.' });
    await expectSoon('hopper', (ids) => expect(ids).toEqual([second, first]));
    const res = await post(t.app, '/users/edit', grace.token, { nickname: 'Amazing Grace' });
    expect(res.statusCode, res.body).toBe(200);
    await expectSoon('amazing', (ids) => expect(ids).toEqual([second, first]));
    expect(await idsFor('hopper')).toEqual([]);
    expect((await search('q=amazing')).list.map((a) => a.author.name)).toEqual(['Amazing Grace', 'Amazing Grace']);
  });

  it('when an event names no valid article or user, then the indexer logs it, skips it and goes on', async () => {
    await t.container.backends.bus.publish('user.renamed', { uid: 'ada' });
    await t.container.backends.bus.publish('article.published', { id: -1 });
    const id = await publish(ada.token, { title: 'Resilient wombat', content: 'still indexed' });
    await expectSoon('wombat', (ids) => expect(ids).toEqual([id]));
    await eventually(async () => {
      const skipped = t.logs.filter((l) => String(l.msg).includes('ignored by the search indexer')).map((l) => l.topic);
      expect(skipped).toEqual(expect.arrayContaining(['user.renamed', 'article.published']));
    }, 5000);
  });

  it('when an article is withdrawn, then search never returns it, and a republish brings it back', async () => {
    const id = await publish(ada.token, { title: 'Ephemeral zeppelin', content: 'soon gone' });
    await expectSoon('zeppelin', (ids) => expect(ids).toEqual([id]));
    t.clock.advance(1000);
    expect((await post(t.app, '/articles/withdraw', ada.token, { id })).statusCode).toBe(200);
    // At once, whether or not the indexer has caught up: the query filters against the published table.
    expect(await idsFor('zeppelin')).toEqual([]);
    await publish(ada.token, { id, title: 'Ephemeral zeppelin', content: 'back again' });
    await expectSoon('zeppelin', (ids) => expect(ids).toEqual([id]));
  });

  it('when a published article is edited and republished, then the index follows: old words no longer find it, new ones do', async () => {
    const id = await publish(ada.token, { title: 'Platypus facts', content: 'monotremes' });
    await expectSoon('platypus', (ids) => expect(ids).toEqual([id]));
    t.clock.advance(1000);
    await post(t.app, '/articles/edit', ada.token, { id, title: 'Echidna facts', content: 'spines' });
    // A draft is not what readers see: the index still has the published words.
    expect(await idsFor('echidna')).toEqual([]);
    await publish(ada.token, { id, title: 'Echidna facts', content: 'spines' });
    await expectSoon('echidna', (ids) => expect(ids).toEqual([id]));
    await expectSoon('platypus', (ids) => expect(ids).toEqual([]));
  });

  it('when many articles match, then the title match ranks first, ties go to the newest, and pages neither overlap nor skip', async () => {
    const inBody: number[] = [];
    for (let i = 0; i < 5; i++) inBody.push(await publish(ada.token, { title: `Filler ${i}`, content: `some text about quokka number ${i}` }));
    const inTitle = await publish(ada.token, { title: 'Quokka', content: 'a small marsupial' });
    await expectSoon('quokka', (ids) => expect(ids).toHaveLength(6));
    const first = await search('q=quokka&limit=4');
    expect(first.list[0]!.id).toBe(inTitle);
    expect(first.next).toBe(4);
    const second = await search('q=quokka&limit=4&offset=4');
    expect(second.next).toBeNull();
    const all = [...first.list, ...second.list].map((a) => a.id);
    expect(all).toEqual([inTitle, ...[...inBody].reverse()]);
  });

  it('when the query is empty, has no words, or is too long, then 400 with a search code; bad paging is 400 too', async () => {
    for (const [q, code] of [['', 408001], ['q=', 408001], ['q=%20%20', 408001], ['q=%2B%2B%2B%20!!', 408001], [`q=${'a'.repeat(101)}`, 408002], [`q=${'b'.repeat(2000)}`, 400001]] as const) {
      const res = await get(t.app, `/search?${q}`);
      expect(res.statusCode, q.slice(0, 20)).toBe(400);
      expect(bodyOf(res).code, q.slice(0, 20)).toBe(code);
    }
    for (const q of ['q=x&offset=-1', 'q=x&offset=1001', 'q=x&limit=0', 'q=x&limit=51', 'q=x&other=1']) {
      expect((await get(t.app, `/search?${q}`)).statusCode, q).toBe(400);
    }
  });

  it('when a query is repeated while the index is unchanged, then the cached page answers; any index change makes it recompute', async () => {
    const generation = () => t.container.backends.cache.get('search:gen');
    const before = await generation();
    const id = await publish(ada.token, { title: 'Cached axolotl', content: 'gills' });
    // Until the indexer's bump (just after its write) a page may be cached under the old generation: wait for it.
    await eventually(async () => {
      expect(await generation()).not.toBe(before);
      expect(await idsFor('axolotl')).toEqual([id]);
    }, 5000);
    // Behind the indexer's back (no generation bump): the cached page still answers.
    await t.container.backends.database.db.deleteFrom('search_articles').where('article_id', '=', id).execute();
    expect(await idsFor('axolotl')).toEqual([id]);
    // Any indexing bumps the generation: the next query reads the database again.
    const other = await publish(ada.token, { title: 'Unrelated newt', content: 'x' });
    await expectSoon('newt', (ids) => expect(ids).toEqual([other]));
    expect(await idsFor('axolotl')).toEqual([]);
  });

  it('when a query holds engine syntax, then it is searched as words, never as operators', async () => {
    const id = await publish(ada.token, { title: 'Operators', content: 'NEAR OR AND NOT quokka-free text' });
    await expectSoon('operators', (ids) => expect(ids).toContain(id));
    for (const q of ['"NEAR" OR', 'AND NOT', '+near -or', 'near*', "o'reilly \\ %", 'title_terms:near', 'near & or | !not']) {
      const res = await get(t.app, `/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
    }
    expect(await idsFor('NEAR OR AND NOT')).toContain(id);
  });
});
