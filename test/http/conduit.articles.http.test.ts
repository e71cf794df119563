import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { authed, buildTestApp, type TestApp } from '../support/app.js';
import { newUser, publish } from '../support/articles.js';
import { eventually } from '../support/eventually.js';
import { call, createArticle, json, register, uniqueName, type ConduitClient } from '../support/conduit.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(stacks)('Conduit articles over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let jake: ConduitClient;
  let jane: ConduitClient;
  beforeAll(async () => {
    t = await buildTestApp(stack);
    [jake, jane] = await Promise.all([register(t.app, 'Jake'), register(t.app, 'Jane')]);
  });
  afterAll(async () => t.close());

  const tick = () => t.clock.advance(1000);

  it('when an article is created, then 201 with the spec shape, and it reads back by its slug for anyone', async () => {
    const res = await call(t.app, 'POST', '/articles', {
      token: jake.token,
      body: { article: { title: 'How to train your dragon', description: 'Ever wonder how?', body: 'You have to believe', tagList: ['Dragons', 'training'] } },
    });
    expect(res.statusCode).toBe(201);
    const { article } = json(res);
    expect(article).toEqual({
      slug: expect.stringMatching(/^how-to-train-your-dragon-[0-9a-z]+$/),
      title: 'How to train your dragon',
      description: 'Ever wonder how?',
      body: 'You have to believe',
      tagList: ['dragons', 'training'],
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
      favorited: false,
      favoritesCount: 0,
      author: { username: jake.username, bio: null, image: null, following: false },
    });
    const read = await call(t.app, 'GET', `/articles/${article.slug}`);
    expect([read.statusCode, json(read).article]).toEqual([200, article]);
    // The same article on Webook's reader page: published on create.
    const id = parseInt(article.slug.split('-').at(-1), 36);
    expect((await t.app.inject({ method: 'GET', url: `/articles/pub/${id}` })).json().data).toMatchObject({ title: article.title, content: article.body });
    // Conduit reads are Webook reads: counted through the event bus, like the reader page's.
    await eventually(async () => {
      const [counters] = await t.container.interactive.service.countersOf('article', [id]);
      expect(counters!.readCnt).toBe(2); // the Conduit GET and the Webook page above
    });
  });

  it('when an article is created without a token, or with blank or missing fields, then 401 or 422 naming each field', async () => {
    expect((await call(t.app, 'POST', '/articles', { body: { article: { title: 't', description: 'd', body: 'b' } } })).statusCode).toBe(401);
    const blank = await call(t.app, 'POST', '/articles', { token: jake.token, body: { article: { title: ' ', body: '' } } });
    expect(blank.statusCode).toBe(422);
    expect(json(blank)).toEqual({ errors: { title: ["can't be blank"], description: ["can't be blank"], body: ["can't be blank"] } });
    const badTag = await call(t.app, 'POST', '/articles', { token: jake.token, body: { article: { title: 't', description: 'd', body: 'b', tagList: ['<script>'] } } });
    expect(badTag.statusCode).toBe(422);
    expect(Object.keys(json(badTag).errors)).toEqual(['tagList']);
    const tooLong = await call(t.app, 'POST', '/articles', { token: jake.token, body: { article: { title: 'x'.repeat(257), description: 'd', body: 'b' } } });
    expect([tooLong.statusCode, Object.keys(json(tooLong).errors)]).toEqual([422, ['title']]);
    const wrongType = await call(t.app, 'POST', '/articles', { token: jake.token, body: { article: { title: 1, description: 'd', body: 'b' } } });
    expect(wrongType.statusCode).toBe(422);
  });

  it('when an unknown, malformed or outdated slug is asked for, then 404 keyed article', async () => {
    for (const slug of ['no-such-article-zzzzzz', 'nothing', 'how-to-train-your-dragon-0']) {
      const res = await call(t.app, 'GET', `/articles/${slug}`);
      expect([res.statusCode, json(res)]).toEqual([404, { errors: { article: ['not found'] } }]);
    }
    const a = await createArticle(t.app, jake.token, { title: 'Original title' });
    const wrongTitle = a.slug.replace('original', 'other');
    expect((await call(t.app, 'GET', `/articles/${wrongTitle}`)).statusCode).toBe(404);
  });

  it('when the author updates an article, then fields given change, others stay, and the slug follows the title', async () => {
    const a = await createArticle(t.app, jake.token, { title: 'Before', tagList: ['one'] });
    tick();
    const res = await call(t.app, 'PUT', `/articles/${a.slug}`, { token: jake.token, body: { article: { title: 'After the edit', description: 'new description' } } });
    expect(res.statusCode).toBe(200);
    const updated = json(res).article;
    expect(updated).toMatchObject({ title: 'After the edit', description: 'new description', body: a.body, tagList: ['one'], createdAt: a.createdAt });
    expect(updated.slug).toMatch(/^after-the-edit-/);
    expect(updated.slug.split('-').at(-1)).toBe(a.slug.split('-').at(-1));
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(a.updatedAt as string));
    expect((await call(t.app, 'GET', `/articles/${a.slug}`)).statusCode).toBe(404);
    expect(json(await call(t.app, 'GET', `/articles/${updated.slug}`)).article).toEqual(updated);
    const body = await call(t.app, 'PUT', `/articles/${updated.slug}`, { token: jake.token, body: { article: { body: 'new body', tagList: [] } } });
    expect(json(body).article).toMatchObject({ slug: updated.slug, body: 'new body', tagList: [], description: 'new description' });
  });

  it("when someone else updates or deletes an article, then 403 keyed article and it is unchanged; without a token 401; blank fields 422", async () => {
    const a = await createArticle(t.app, jake.token, { title: 'Mine alone' });
    const put = await call(t.app, 'PUT', `/articles/${a.slug}`, { token: jane.token, body: { article: { title: 'Hijacked' } } });
    expect([put.statusCode, json(put)]).toEqual([403, { errors: { article: ['forbidden'] } }]);
    const del = await call(t.app, 'DELETE', `/articles/${a.slug}`, { token: jane.token });
    expect([del.statusCode, json(del)]).toEqual([403, { errors: { article: ['forbidden'] } }]);
    expect((await call(t.app, 'PUT', `/articles/${a.slug}`, { body: { article: { title: 'x' } } })).statusCode).toBe(401);
    expect((await call(t.app, 'DELETE', `/articles/${a.slug}`)).statusCode).toBe(401);
    const blank = await call(t.app, 'PUT', `/articles/${a.slug}`, { token: jake.token, body: { article: { title: '' } } });
    expect([blank.statusCode, json(blank)]).toEqual([422, { errors: { title: ["can't be blank"] } }]);
    expect(json(await call(t.app, 'GET', `/articles/${a.slug}`)).article.title).toBe('Mine alone');
    expect((await call(t.app, 'PUT', '/articles/none-zz', { token: jake.token, body: { article: { title: 'x' } } })).statusCode).toBe(404);
  });

  it('when the author deletes an article, then 204 with no body, readers get 404, and the author still has it on Webook', async () => {
    const a = await createArticle(t.app, jake.token, { title: 'Short lived', tagList: ['short-lived-tag'] });
    const before = json(await call(t.app, 'GET', `/articles?author=${jake.username}&limit=100`));
    const res = await call(t.app, 'DELETE', `/articles/${a.slug}`, { token: jake.token });
    expect([res.statusCode, res.body]).toEqual([204, '']);
    expect((await call(t.app, 'GET', `/articles/${a.slug}`)).statusCode).toBe(404);
    expect((await call(t.app, 'DELETE', `/articles/${a.slug}`, { token: jake.token })).statusCode).toBe(404);
    const after = json(await call(t.app, 'GET', `/articles?author=${jake.username}&limit=100`));
    expect(after.articlesCount).toBe(before.articlesCount - 1);
    expect(after.articles.map((x: { slug: string }) => x.slug)).not.toContain(a.slug);
    expect(json(await call(t.app, 'GET', '/articles?tag=short-lived-tag'))).toEqual({ articles: [], articlesCount: 0 });
    const id = parseInt(a.slug.split('-').at(-1)!, 36);
    const mine = await t.app.inject({ method: 'GET', url: `/articles/detail/${id}`, headers: authed(jake.token) });
    expect(mine.json().data).toMatchObject({ title: 'Short lived', status: 3 });
  });

  it('when articles are favorited and unfavorited, then the flag and count follow, idempotently, and it is a Webook like', async () => {
    const a = await createArticle(t.app, jake.token, { title: 'Likeable' });
    const fav = await call(t.app, 'POST', `/articles/${a.slug}/favorite`, { token: jane.token });
    expect([fav.statusCode, json(fav).article.favorited, json(fav).article.favoritesCount]).toEqual([200, true, 1]);
    expect(json(await call(t.app, 'POST', `/articles/${a.slug}/favorite`, { token: jane.token })).article.favoritesCount).toBe(1);
    expect(json(await call(t.app, 'GET', `/articles/${a.slug}`)).article).toMatchObject({ favorited: false, favoritesCount: 1 });
    const id = parseInt(a.slug.split('-').at(-1)!, 36);
    expect((await t.app.inject({ method: 'GET', url: `/articles/pub/${id}`, headers: authed(jane.token) })).json().data).toMatchObject({ likeCnt: 1, liked: true });
    const off = await call(t.app, 'DELETE', `/articles/${a.slug}/favorite`, { token: jane.token });
    expect([off.statusCode, json(off).article.favorited, json(off).article.favoritesCount]).toEqual([200, false, 0]);
    expect(json(await call(t.app, 'DELETE', `/articles/${a.slug}/favorite`, { token: jane.token })).article.favoritesCount).toBe(0);
    expect((await call(t.app, 'POST', `/articles/${a.slug}/favorite`)).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/articles/nope-zz/favorite', { token: jane.token })).statusCode).toBe(404);
  });

  it('when articles are listed with tag, author and favorited filters and paging, then each filter and the count hold, newest first, without bodies', async () => {
    const [ann, bob] = await Promise.all([register(t.app, 'Ann'), register(t.app, 'Bob')]);
    const tag = uniqueName('tag').toLowerCase();
    const made = [];
    for (let i = 0; i < 5; i++) {
      tick();
      made.push(await createArticle(t.app, i % 2 === 0 ? ann.token : bob.token, { title: `Listed ${i}`, tagList: i < 3 ? [tag] : [] }));
    }
    await call(t.app, 'POST', `/articles/${made[1]!.slug}/favorite`, { token: ann.token });
    await call(t.app, 'POST', `/articles/${made[4]!.slug}/favorite`, { token: ann.token });
    const list = async (query: string, token?: string) => json(await call(t.app, 'GET', `/articles?${query}`, { token }));
    const slugs = (r: { articles: { slug: string }[] }) => r.articles.map((a) => a.slug);

    const byTag = await list(`tag=${tag.toUpperCase()}`);
    expect([slugs(byTag), byTag.articlesCount]).toEqual([[made[2]!.slug, made[1]!.slug, made[0]!.slug], 3]);
    expect(byTag.articles[0]).not.toHaveProperty('body');
    expect(byTag.articles[0]).toMatchObject({ title: 'Listed 2', tagList: [tag], author: { username: ann.username } });
    const byAuthor = await list(`author=${ann.username}`);
    expect([slugs(byAuthor), byAuthor.articlesCount]).toEqual([[made[4]!.slug, made[2]!.slug, made[0]!.slug], 3]);
    const favorited = await list(`favorited=${ann.username}`, ann.token);
    expect([slugs(favorited), favorited.articlesCount]).toEqual([[made[4]!.slug, made[1]!.slug], 2]);
    expect(favorited.articles.every((a: { favorited: boolean }) => a.favorited)).toBe(true);
    const both = await list(`author=${bob.username}&tag=${tag}`);
    expect([slugs(both), both.articlesCount]).toEqual([[made[1]!.slug], 1]);
    const page = await list(`author=${ann.username}&limit=1&offset=1`);
    expect([slugs(page), page.articlesCount]).toEqual([[made[2]!.slug], 3]);
    for (const none of ['author=nobody-at-all', 'favorited=nobody-at-all', 'tag=no-such-tag-x', 'tag=%3Cbad%3E']) expect(await list(none)).toEqual({ articles: [], articlesCount: 0 });
    const everything = await list('limit=100');
    expect(everything.articlesCount).toBeGreaterThanOrEqual(5);
    expect(slugs(everything).slice(0, 5)).toEqual(made.map((a) => a.slug).reverse());
  });

  it('when paging parameters are out of range, then 422 naming them; a bad token on the open list is 401', async () => {
    for (const [query, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['offset=-1', 'offset'], ['limit=abc', 'limit']] as const) {
      const res = await call(t.app, 'GET', `/articles?${query}`);
      expect([res.statusCode, Object.keys(json(res).errors)]).toEqual([422, [field]]);
    }
    expect((await call(t.app, 'GET', '/articles/feed?limit=0', { token: jake.token })).statusCode).toBe(422);
    expect((await call(t.app, 'GET', '/articles', { token: 'not.a.jwt' })).statusCode).toBe(401);
  });

  it('when a reader follows authors, then the feed lists their articles only, newest first, with following set; without a token 401', async () => {
    const [reader, followed, other] = await Promise.all([register(t.app, 'Reader'), register(t.app, 'Followed'), register(t.app, 'Other')]);
    expect(json(await call(t.app, 'GET', '/articles/feed', { token: reader.token }))).toEqual({ articles: [], articlesCount: 0 });
    await call(t.app, 'POST', `/profiles/${followed.username}/follow`, { token: reader.token });
    tick();
    const first = await createArticle(t.app, followed.token, { title: 'Feed one' });
    tick();
    await createArticle(t.app, other.token, { title: 'Not in feed' });
    tick();
    const second = await createArticle(t.app, followed.token, { title: 'Feed two' });
    const feed = json(await call(t.app, 'GET', '/articles/feed', { token: reader.token }));
    expect([feed.articles.map((a: { slug: string }) => a.slug), feed.articlesCount]).toEqual([[second.slug, first.slug], 2]);
    expect(feed.articles[0].author).toEqual({ username: followed.username, bio: null, image: null, following: true });
    const paged = json(await call(t.app, 'GET', '/articles/feed?limit=1&offset=1', { token: reader.token }));
    expect([paged.articles.map((a: { slug: string }) => a.slug), paged.articlesCount]).toEqual([[first.slug], 2]);
    expect((await call(t.app, 'GET', '/articles/feed')).statusCode).toBe(401);
  });

  it('when a Webook article exists, then Conduit lists it with a derived slug and an empty description', async () => {
    const w = await newUser(t.app);
    const id = await publish(t.app, w.token, 'Written on Webook 你好', 'content');
    const res = await call(t.app, 'GET', `/articles/written-on-webook-你好-${id.toString(36)}`.replace('你好', encodeURIComponent('你好')));
    expect(res.statusCode).toBe(200);
    expect(json(res).article).toMatchObject({ title: 'Written on Webook 你好', description: '', body: 'content', author: { username: `user-${w.uid}` } });
  });

  it('when tags are asked for, then the tags of published articles come back, most used first', async () => {
    const tag = uniqueName('popular').toLowerCase();
    await createArticle(t.app, jane.token, { title: 'Tagged a', tagList: [tag] });
    await createArticle(t.app, jane.token, { title: 'Tagged b', tagList: [tag, 'rare-one'] });
    const res = await call(t.app, 'GET', '/tags');
    expect(res.statusCode).toBe(200);
    const { tags } = json(res);
    expect(tags).toEqual(expect.arrayContaining([tag, 'rare-one', 'dragons']));
    expect(tags.indexOf(tag)).toBeLessThan(tags.indexOf('rare-one'));
  });
});
