import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post, publish } from '../support/articles.js';

type User = { token: string; uid: number };

describe.each(stacks)('comments over HTTP on $dialect + $cache', (stack) => {
  let t: TestApp;
  let author: User;
  let reader: User;
  let other: User;
  beforeAll(async () => {
    t = await buildTestApp(stack);
    [author, reader, other] = await Promise.all([newUser(t.app, 'Author'), newUser(t.app, 'Reader'), newUser(t.app, 'Other')]);
  });
  afterAll(async () => t.close());

  const comment = async (articleId: number, content: string, who: User = reader, parentId?: number) => {
    const res = await post(t.app, '/comments/create', who.token, { articleId, content, ...(parentId !== undefined && { parentId }) });
    if (res.statusCode !== 200) throw new Error(`comment failed: ${res.statusCode} ${res.body}`);
    t.clock.advance(1);
    return bodyOf(res).data.id as number;
  };
  const roots = async (articleId: number, query = '', token: string | null = null) => bodyOf(await get(t.app, `/comments/list?articleId=${articleId}${query}`, token)).data;
  const replies = async (rootId: number, query = '', token: string | null = null) => bodyOf(await get(t.app, `/comments/replies?rootId=${rootId}${query}`, token)).data;
  const del = (id: number, who: User) => post(t.app, '/comments/delete', who.token, { id });

  it('when readers comment and reply, then roots come newest first with reply counts and replies oldest first', async () => {
    const aid = await publish(t.app, author.token);
    const first = await comment(aid, '  first!  ');
    const second = await comment(aid, 'second', other);
    const r1 = await comment(aid, 'reply to first', other, first);
    const r2 = await comment(aid, 'reply to the reply', author, r1);

    const page = await roots(aid);
    expect(page.nextCursor).toBeNull();
    expect(page.items).toMatchObject([
      { id: second, content: 'second', replyCnt: 0, rootId: 0, parentId: 0, author: { id: other.uid, name: 'Other' } },
      { id: first, content: 'first!', replyCnt: 2, rootId: 0, parentId: 0, author: { id: reader.uid, name: 'Reader' }, likeCnt: 0, liked: false },
    ]);
    expect((await replies(first)).items).toMatchObject([
      { id: r1, rootId: first, parentId: first, content: 'reply to first' },
      { id: r2, rootId: first, parentId: r1, author: { id: author.uid } },
    ]);
  });

  it('when 30 replies arrive at once, then the root counts exactly 30', async () => {
    const aid = await publish(t.app, author.token);
    const root = await comment(aid, 'busy thread');
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => post(t.app, '/comments/create', other.token, { articleId: aid, content: `r${i}`, parentId: root })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    expect((await roots(aid)).items[0]).toMatchObject({ id: root, replyCnt: 30 });
    expect((await replies(root, '&limit=100')).items).toHaveLength(30);
  });

  it('when paging while new comments arrive, then every comment is seen once and none is skipped', async () => {
    const aid = await publish(t.app, author.token);
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await comment(aid, `c${i}`));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = await roots(aid, `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((c) => c.id));
      await comment(aid, 'arrives meanwhile'); // newer than everything paged so far: never in a later page
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const root = ids[0]!;
    const replyIds: number[] = [];
    for (let i = 0; i < 5; i++) replyIds.push(await comment(aid, `r${i}`, other, root));
    const first = await replies(root, '&limit=2');
    const added = await comment(aid, 'late reply', other, root); // oldest first: a new reply comes at the end
    const rest = await replies(root, `&limit=100&cursor=${first.nextCursor}`);
    expect([...first.items, ...rest.items].map((c: { id: number }) => c.id)).toEqual([...replyIds, added]);
    expect(rest.nextCursor).toBeNull();
  });

  it("when someone deletes another's comment, then 403; its author and the article's author may", async () => {
    const aid = await publish(t.app, author.token);
    const mine = await comment(aid, 'mine');
    const res = await del(mine, other);
    expect(res.statusCode).toBe(403);
    expect(bodyOf(res).code).toBe(406002);
    expect((await roots(aid)).items).toHaveLength(1);

    expect(bodyOf(await del(mine, reader)).data).toEqual({ deleted: 1 });
    const theirs = await comment(aid, 'spam', other);
    expect((await del(theirs, author)).statusCode).toBe(200);
    expect((await roots(aid)).items).toHaveLength(0);
    const gone = await del(theirs, author);
    expect(gone.statusCode).toBe(404);
    expect(bodyOf(gone).code).toBe(406001);
    expect((await post(t.app, '/comments/delete', null, { id: theirs })).statusCode).toBe(401);
  });

  it('when a root is deleted, then its whole thread goes; when a reply is deleted, then its sub-thread goes and the count drops', async () => {
    const aid = await publish(t.app, author.token);
    const root = await comment(aid, 'root');
    const a = await comment(aid, 'a', other, root);
    const a1 = await comment(aid, 'a1', reader, a);
    await comment(aid, 'a1x', other, a1);
    const b = await comment(aid, 'b', other, root);
    expect((await roots(aid)).items[0].replyCnt).toBe(4);

    expect(bodyOf(await del(a, other)).data).toEqual({ deleted: 3 });
    expect((await roots(aid)).items[0].replyCnt).toBe(1);
    expect((await replies(root)).items.map((c: { id: number }) => c.id)).toEqual([b]);

    expect(bodyOf(await del(root, reader)).data).toEqual({ deleted: 2 });
    expect((await roots(aid)).items).toEqual([]);
    expect((await get(t.app, `/comments/replies?rootId=${root}`)).statusCode).toBe(404);
    expect((await post(t.app, '/comments/create', other.token, { articleId: aid, content: 'late', parentId: b })).statusCode).toBe(404);
  });

  it('when replies race the deletion of the comment they answer, then none is left orphaned and replyCnt matches the thread', async () => {
    const aid = await publish(t.app, author.token);
    const root = await comment(aid, 'root');
    const doomed = await comment(aid, 'doomed', other, root);
    const racing = Array.from({ length: 20 }, (_, i) => post(t.app, '/comments/create', reader.token, { articleId: aid, content: `late ${i}`, parentId: doomed }));
    const [deletion, ...replies] = await Promise.all([del(doomed, other), ...racing]);
    expect(deletion.statusCode).toBe(200);
    // Each reply either landed before the deletion (and went with it) or found its parent gone.
    expect(replies.map((r) => r.statusCode).every((s) => s === 200 || s === 404)).toBe(true);
    const left = await t.container.backends.database.db.selectFrom('comments').select('id').where('root_id', '=', root).execute();
    expect(left).toEqual([]);
    expect((await roots(aid)).items[0]).toMatchObject({ id: root, replyCnt: 0 });
  });

  it('when comments are liked, then lists show likeCnt to everyone and liked to the reader who liked', async () => {
    const aid = await publish(t.app, author.token);
    const c = await comment(aid, 'like me');
    for (const who of [other, author, other]) expect((await post(t.app, '/comments/like', who.token, { id: c, like: true })).statusCode).toBe(200);
    expect((await roots(aid, '', other.token)).items[0]).toMatchObject({ likeCnt: 2, liked: true });
    expect((await roots(aid, '', reader.token)).items[0]).toMatchObject({ likeCnt: 2, liked: false });
    expect((await roots(aid)).items[0]).toMatchObject({ likeCnt: 2, liked: false });
    await post(t.app, '/comments/like', other.token, { id: c, like: false });
    expect((await roots(aid, '', other.token)).items[0]).toMatchObject({ likeCnt: 1, liked: false });
    expect((await post(t.app, '/comments/like', other.token, { id: 987654321, like: true })).statusCode).toBe(404);
  });

  it('when the article is not published, then comments cannot be written or listed', async () => {
    const draft = bodyOf(await post(t.app, '/articles/edit', author.token, { title: 'd', content: 'd' })).data.id as number;
    const res = await post(t.app, '/comments/create', reader.token, { articleId: draft, content: 'early' });
    expect(res.statusCode).toBe(404);
    expect(bodyOf(res).code).toBe(403001);
    const aid = await publish(t.app, author.token);
    const c = await comment(aid, 'before the withdrawal');
    expect((await post(t.app, '/articles/withdraw', author.token, { id: aid })).statusCode).toBe(200);
    expect((await get(t.app, `/comments/list?articleId=${aid}`)).statusCode).toBe(404);
    expect((await post(t.app, '/comments/create', reader.token, { articleId: aid, content: 'late' })).statusCode).toBe(404);
    // The article's author still decides about what was said under it.
    expect((await del(c, author)).statusCode).toBe(200);
  });

  it('when a reply names a comment under another article, then 400', async () => {
    const a1 = await publish(t.app, author.token);
    const a2 = await publish(t.app, author.token);
    const c = await comment(a1, 'on a1');
    const res = await post(t.app, '/comments/create', reader.token, { articleId: a2, content: 'x', parentId: c });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({ code: 406004, data: { fields: { parentId: expect.any(String) } } });
    expect((await post(t.app, '/comments/create', reader.token, { articleId: a2, content: 'x', parentId: 987654321 })).statusCode).toBe(404);
  });

  it('when input is invalid, then 400 names the field and nothing is stored', async () => {
    const aid = await publish(t.app, author.token);
    const cases: [string, unknown, string][] = [
      ['/comments/create', { articleId: aid, content: '' }, 'content'],
      ['/comments/create', { articleId: aid, content: ' \n\t\u3000 ' }, 'content'],
      ['/comments/create', { articleId: aid, content: 'x'.repeat(2001) }, 'content'],
      ['/comments/create', { articleId: aid, content: 'x'.repeat(4001) }, 'content'],
      ['/comments/create', { articleId: 'one', content: 'x' }, 'articleId'],
      ['/comments/create', { articleId: aid, content: 'x', parentId: -1 }, 'parentId'],
      ['/comments/create', { articleId: aid, content: 'x', extra: 1 }, 'extra'],
      ['/comments/delete', { id: 0 }, 'id'],
      ['/comments/like', { id: 1, like: 'yes' }, 'like'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await post(t.app, url, reader.token, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(Object.keys(bodyOf(res).data.fields)).toContain(field);
    }
    expect((await post(t.app, '/comments/create', reader.token, { articleId: aid, content: '😀'.repeat(2000) })).statusCode).toBe(200);
    expect((await post(t.app, '/comments/create', reader.token, { articleId: aid, content: ` \n${'x'.repeat(2000)}\n ` })).statusCode).toBe(200);
    expect(bodyOf(await post(t.app, '/comments/create', reader.token, { articleId: aid, content: 'x'.repeat(2001) })).code).toBe(406003);
    for (const q of ['articleId=abc', `articleId=${aid}&limit=0`, `articleId=${aid}&limit=101`, `articleId=${aid}&cursor=1e3`, '']) {
      expect((await get(t.app, `/comments/list?${q}`)).statusCode, q).toBe(400);
    }
    expect((await post(t.app, '/comments/create', null, { articleId: aid, content: 'anonymous' })).statusCode).toBe(401);
    const stored = (await roots(aid)).items as { content: string }[];
    expect(stored.map((c) => [...c.content].length)).toEqual([2000, 2000]);
  });
});
