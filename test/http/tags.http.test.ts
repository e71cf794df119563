import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post } from '../support/articles.js';

describe.each(stacks)('tags over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let ada: { token: string; uid: number };
  let bob: { token: string; uid: number };
  beforeAll(async () => {
    t = await buildTestApp(stack);
    ada = await newUser(t.app, 'Ada');
    bob = await newUser(t.app, 'Bob');
  });
  afterAll(async () => t.close());

  const tick = () => t.clock.advance(1000);
  const publishTagged = async (token: string, title: string, tags: string[]) => {
    tick();
    const res = await post(t.app, '/articles/publish', token, { title, content: `${title} body`, tags });
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf(res).data.id as number;
  };
  const tagged = async (query: string) => {
    const res = await get(t.app, `/articles/pub/tagged?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf(res).data as { list: { id: number; tags: string[] }[]; next: string | null };
  };

  it('when tags are sent, then they are trimmed, lower-cased, deduplicated and shown to author and readers', async () => {
    const id = await publishTagged(ada.token, 'Normalised', ['  Go ', 'go', 'Distributed   Systems', 'C++', '分布式']);
    expect(bodyOf(await get(t.app, `/articles/detail/${id}`, ada.token)).data.tags).toEqual(['go', 'distributed systems', 'c++', '分布式']);
    const page = await get(t.app, `/articles/pub/${id}`);
    expect(bodyOf(page).data.tags).toEqual(['go', 'distributed systems', 'c++', '分布式']);
    // The reader page is served from the pre-rendered cache the second time: tags still there.
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data.tags).toEqual(['go', 'distributed systems', 'c++', '分布式']);
  });

  it('when tags break the rules, then 400 with a tag error code naming the field', async () => {
    const send = (tags: unknown) => post(t.app, '/articles/publish', ada.token, { title: 'Bad tags', content: 'x', tags });
    const tooMany = await send(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(tooMany.statusCode).toBe(400);
    expect(bodyOf(tooMany)).toMatchObject({ code: 403004, data: { fields: { tags: expect.any(String) } } });
    for (const bad of [[''], ['   '], ['x'.repeat(33)], ['<script>'], ['-leading-sign'], ['semi;colon']]) {
      const res = await send(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(bodyOf(res).code, JSON.stringify(bad)).toBe(403005);
    }
    const notStrings = await send([1, 2]);
    expect(notStrings.statusCode).toBe(400);
    expect(bodyOf(notStrings).code).toBe(400001);
    // Six spellings of five tags are five tags.
    expect((await send(['a', 'A', 'b', 'c', 'd', 'e'])).statusCode).toBe(200);
  });

  it('when a draft is edited without tags, then its tags stay; with tags, they are replaced only on the next publish for readers', async () => {
    const id = await publishTagged(ada.token, 'Keeps tags', ['keep']);
    tick();
    expect((await post(t.app, '/articles/edit', ada.token, { id, title: 'Keeps tags', content: 'edited' })).statusCode).toBe(200);
    expect(bodyOf(await get(t.app, `/articles/detail/${id}`, ada.token)).data.tags).toEqual(['keep']);
    expect((await post(t.app, '/articles/edit', ada.token, { id, title: 'Keeps tags', content: 'edited', tags: ['changed'] })).statusCode).toBe(200);
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data.tags).toEqual(['keep']);
    expect((await tagged('tag=changed')).list.map((a) => a.id)).not.toContain(id);
    tick();
    expect((await post(t.app, '/articles/publish', ada.token, { id, title: 'Keeps tags', content: 'edited' })).statusCode).toBe(200);
    expect(bodyOf(await get(t.app, `/articles/pub/${id}`)).data.tags).toEqual(['changed']);
    expect((await tagged('tag=changed')).list.map((a) => a.id)).toContain(id);
    expect((await tagged('tag=keep')).list.map((a) => a.id)).not.toContain(id);
  });

  it('when articles are tagged, then /tags counts published ones only, most used first', async () => {
    await publishTagged(ada.token, 'Count 1', ['counted', 'rare']);
    await publishTagged(bob.token, 'Count 2', ['counted']);
    const withdrawn = await publishTagged(bob.token, 'Count 3', ['counted', 'rare']);
    await post(t.app, '/articles/edit', bob.token, { title: 'Draft only', content: 'x', tags: ['counted', 'draftonly'] });
    expect((await post(t.app, '/articles/withdraw', bob.token, { id: withdrawn })).statusCode).toBe(200);

    const res = await get(t.app, '/tags?limit=100');
    expect(res.statusCode).toBe(200);
    const counts = new Map((bodyOf(res).data as { name: string; count: number }[]).map((x) => [x.name, x.count]));
    expect(counts.get('counted')).toBe(2);
    expect(counts.get('rare')).toBe(1);
    expect(counts.has('draftonly')).toBe(false);
    const all = bodyOf(res).data as { count: number }[];
    expect(all.map((x) => x.count)).toEqual([...all.map((x) => x.count)].sort((a, b) => b - a));
  });

  it('when the tag list was served and an article is then published or withdrawn, then the next list counts the change', async () => {
    const countOf = async (name: string) =>
      (bodyOf(await get(t.app, '/tags?limit=100')).data as { name: string; count: number }[]).find((x) => x.name === name)?.count ?? 0;
    expect(await countOf('fresh')).toBe(0);
    const id = await publishTagged(ada.token, 'Fresh', ['fresh']);
    expect(await countOf('fresh')).toBe(1);
    expect((await post(t.app, '/articles/withdraw', ada.token, { id })).statusCode).toBe(200);
    expect(await countOf('fresh')).toBe(0);
  });

  it('when a tag has many articles, then pages by cursor are newest first with no gaps or repeats, withdrawn ones left out', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await publishTagged(i % 2 ? bob.token : ada.token, `Paged ${i}`, ['paged']));
    expect((await post(t.app, '/articles/withdraw', ada.token, { id: ids[2] })).statusCode).toBe(200);
    const expected = ids.filter((id) => id !== ids[2]).reverse();

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await tagged(`tag=Paged&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.list.length).toBeLessThanOrEqual(2);
      seen.push(...page.list.map((a) => a.id));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('when tag queries are malformed, then 400, never 500', async () => {
    for (const q of ['', 'tag=', 'tag=go&cursor=abc', 'tag=go&limit=0', 'tag=go&limit=101', 'tag=go&other=1', 'tag=%3Cscript%3E']) {
      const res = await get(t.app, `/articles/pub/tagged?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    expect((await get(t.app, '/tags?limit=0')).statusCode).toBe(400);
    expect((await tagged('tag=nobody-uses-this')).list).toEqual([]);
  });
});
