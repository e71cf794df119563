import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { authed, buildTestApp, type TestApp } from '../support/app.js';
import { call, createArticle, json, register, type ConduitClient } from '../support/conduit.js';

describe.each(stacks)('Conduit comments and the API boundary over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let author: ConduitClient;
  let reader: ConduitClient;
  let other: ConduitClient;
  let slug: string;
  beforeAll(async () => {
    t = await buildTestApp(stack);
    [author, reader, other] = await Promise.all([register(t.app, 'Author'), register(t.app, 'Reader'), register(t.app, 'Other')]);
    slug = (await createArticle(t.app, author.token, { title: 'Comment on me' })).slug;
  });
  afterAll(async () => t.close());

  const add = (token: string | null, body: unknown, on = slug) => call(t.app, 'POST', `/articles/${on}/comments`, { token, body: { comment: { body } } });
  const list = async (token?: string, on = slug) => json(await call(t.app, 'GET', `/articles/${on}/comments`, { token }));

  it('when a reader comments, then 201 with the comment and its author, and anyone lists it newest first', async () => {
    const res = await add(reader.token, 'It takes a Jacobian');
    expect(res.statusCode).toBe(201);
    const { comment } = json(res);
    expect(comment).toEqual({
      id: expect.any(Number),
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: comment.createdAt,
      body: 'It takes a Jacobian',
      author: { username: reader.username, bio: null, image: null, following: false },
    });
    t.clock.advance(1000);
    const second = json(await add(other.token, 'Second')).comment;
    const { comments } = await list();
    expect(comments.map((c: { id: number }) => c.id).slice(0, 2)).toEqual([second.id, comment.id]);
    await call(t.app, 'POST', `/profiles/${reader.username}/follow`, { token: other.token });
    const asOther = await list(other.token);
    expect(asOther.comments.find((c: { id: number }) => c.id === comment.id).author.following).toBe(true);
  });

  it('when a comment is blank, too long, anonymous or on an unknown article, then 422 keyed body, 401, 404', async () => {
    for (const body of ['', '   ', undefined]) {
      const res = await add(reader.token, body);
      expect([res.statusCode, json(res)]).toEqual([422, { errors: { body: ["can't be blank"] } }]);
    }
    const long = await add(reader.token, 'x'.repeat(2001));
    expect([long.statusCode, Object.keys(json(long).errors)]).toEqual([422, ['body']]);
    expect((await add(null, 'anonymous')).statusCode).toBe(401);
    const unknown = await add(reader.token, 'hello', 'no-such-slug-zz');
    expect([unknown.statusCode, json(unknown)]).toEqual([404, { errors: { article: ['not found'] } }]);
    expect((await call(t.app, 'GET', '/articles/no-such-slug-zz/comments')).statusCode).toBe(404);
  });

  it("when someone deletes another's comment, then 403 keyed comment and it stays; its author's delete is 204 and it goes", async () => {
    const { comment } = json(await add(reader.token, 'Keep me for now'));
    const stranger = await call(t.app, 'DELETE', `/articles/${slug}/comments/${comment.id}`, { token: other.token });
    expect([stranger.statusCode, json(stranger)]).toEqual([403, { errors: { comment: ['forbidden'] } }]);
    expect((await call(t.app, 'DELETE', `/articles/${slug}/comments/${comment.id}`)).statusCode).toBe(401);
    expect((await list()).comments.some((c: { id: number }) => c.id === comment.id)).toBe(true);
    const own = await call(t.app, 'DELETE', `/articles/${slug}/comments/${comment.id}`, { token: reader.token });
    expect([own.statusCode, own.body]).toEqual([204, '']);
    expect((await list()).comments.some((c: { id: number }) => c.id === comment.id)).toBe(false);
    const again = await call(t.app, 'DELETE', `/articles/${slug}/comments/${comment.id}`, { token: reader.token });
    expect([again.statusCode, json(again)]).toEqual([404, { errors: { comment: ['not found'] } }]);
  });

  it("when the article's author deletes a reader's comment, then 204; a comment id under another article is 404; a bad id 422", async () => {
    const { comment } = json(await add(reader.token, 'Moderate me'));
    const otherSlug = (await createArticle(t.app, other.token, { title: 'Elsewhere' })).slug;
    const elsewhere = await call(t.app, 'DELETE', `/articles/${otherSlug}/comments/${comment.id}`, { token: reader.token });
    expect(elsewhere.statusCode).toBe(404);
    expect((await call(t.app, 'DELETE', `/articles/${slug}/comments/${comment.id}`, { token: author.token })).statusCode).toBe(204);
    const bad = await call(t.app, 'DELETE', `/articles/${slug}/comments/abc`, { token: author.token });
    expect([bad.statusCode, Object.keys(json(bad).errors)]).toEqual([422, ['id']]);
  });

  it('when a Webook reply exists under a Conduit comment, then Conduit lists only the top-level comments', async () => {
    const { comment } = json(await add(reader.token, 'Top level'));
    const id = parseInt(slug.split('-').at(-1)!, 36);
    const reply = await t.app.inject({ method: 'POST', url: '/comments/create', headers: authed(other.token), payload: { articleId: id, content: 'a reply', parentId: comment.id } });
    expect(reply.statusCode).toBe(200);
    const ids = (await list()).comments.map((c: { id: number }) => c.id);
    expect(ids).toContain(comment.id);
    expect(ids).not.toContain(reply.json().data.id);
  });

  it('when the article is deleted, then its comments are 404 too', async () => {
    const gone = await createArticle(t.app, author.token, { title: 'Gone soon' });
    await add(reader.token, 'before', gone.slug);
    expect((await call(t.app, 'DELETE', `/articles/${gone.slug}`, { token: author.token })).statusCode).toBe(204);
    expect((await call(t.app, 'GET', `/articles/${gone.slug}/comments`)).statusCode).toBe(404);
    expect((await add(reader.token, 'after', gone.slug)).statusCode).toBe(404);
  });

  it('when a route under /api does not exist, then 404 in Conduit shape, while Webook routes keep their envelope', async () => {
    const missing = await call(t.app, 'GET', '/nothing-here');
    expect([missing.statusCode, json(missing)]).toEqual([404, { errors: { route: ['not found'] } }]);
    const webook = await t.app.inject({ method: 'GET', url: '/articles/pub/abc' });
    expect(webook.statusCode).toBe(400);
    expect(webook.json()).toMatchObject({ code: 400001, data: { fields: expect.any(Object) } });
    const webookAuth = await t.app.inject({ method: 'POST', url: '/users/logout' });
    expect(webookAuth.json()).toMatchObject({ code: 401101 });
  });

  it('when a service fails unexpectedly or a database is unreachable, then 500 or 503 in Conduit shape, no details, logged with severity', async () => {
    const service = t.container.articles.service;
    const original = service.tags;
    try {
      service.tags = async () => {
        throw new TypeError('boom in a secret place');
      };
      const bug = await call(t.app, 'GET', '/tags');
      expect([bug.statusCode, json(bug)]).toEqual([500, { errors: { server: ['internal error'] } }]);
      expect(bug.body).not.toContain('boom');
      expect(t.logs.some((l) => l.severity === 'P1' && l.route === '/api/tags')).toBe(true);
      service.tags = async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:3306'), { code: 'ECONNREFUSED' });
      };
      const down = await call(t.app, 'GET', '/tags');
      expect([down.statusCode, Object.keys(json(down).errors)]).toEqual([503, ['server']]);
      expect(down.headers['retry-after']).toBeDefined();
      expect(down.body).not.toContain('10.0.0.1');
    } finally {
      service.tags = original;
    }
  });

  it('when the OpenAPI document is read, then every Conduit route is there under the conduit tag with the Token scheme', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const routes: [string, string][] = [
      ['post', '/api/users/login'], ['post', '/api/users'], ['get', '/api/user'], ['put', '/api/user'],
      ['get', '/api/profiles/{username}'], ['post', '/api/profiles/{username}/follow'], ['delete', '/api/profiles/{username}/follow'],
      ['get', '/api/articles/feed'], ['get', '/api/articles'], ['post', '/api/articles'],
      ['get', '/api/articles/{slug}'], ['put', '/api/articles/{slug}'], ['delete', '/api/articles/{slug}'],
      ['get', '/api/articles/{slug}/comments'], ['post', '/api/articles/{slug}/comments'], ['delete', '/api/articles/{slug}/comments/{id}'],
      ['post', '/api/articles/{slug}/favorite'], ['delete', '/api/articles/{slug}/favorite'], ['get', '/api/tags'],
    ];
    for (const [method, path] of routes) expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['conduit']);
    expect(doc.paths['/api/user'].get.security).toEqual([{ conduitToken: [] }]);
    expect(doc.components.securitySchemes.conduitToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
  });
});

describe('Conduit from a front end on another origin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ dialect: 'sqlite', cache: 'memory' }, { WEBOOK_CORS_ORIGINS: 'http://localhost:4100' });
  });
  afterAll(async () => t.close());

  it('when the browser asks before a DELETE with a Token header, then CORS allows the origin, the method and the header', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/articles/some-slug-1',
      headers: { origin: 'http://localhost:4100', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:4100');
    expect(String(res.headers['access-control-allow-methods'])).toContain('PUT');
    expect(String(res.headers['access-control-allow-methods'])).toContain('DELETE');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    const other = await t.app.inject({ method: 'OPTIONS', url: '/api/tags', headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
