import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks } from '../support/backends.js';
import { bodyOf, buildTestApp, type TestApp } from '../support/app.js';
import { get, newUser, post } from '../support/articles.js';
import { eventually } from '../support/eventually.js';

describe.each(stacks)('search index catch-up on $dialect + $cache', (stack) => {
  let writer: TestApp;
  beforeAll(async () => {
    // An API-only instance: its publishes reach the bus, but no indexer listens yet. Its
    // database (a file on SQLite) is opened by a second instance below.
    writer = await buildTestApp(stack, { WEBOOK_CONSUMERS: 'false' }, { shareable: true });
  });
  afterAll(async () => writer.close());

  const idsFor = async (app: TestApp, q: string) => (bodyOf(await get(app.app, `/search?q=${q}`)).data.list as { id: number }[]).map((a) => a.id);

  it('when articles were published while no indexer ran, then a catch-up indexes the published ones only, once', async () => {
    const bob = await newUser(writer.app, 'Bob');
    const id = bodyOf(await post(writer.app, '/articles/publish', bob.token, { title: 'Okapi', content: 'stripes' })).data.id as number;
    await post(writer.app, '/articles/edit', bob.token, { title: 'Okapi draft', content: 'x' });
    expect(await idsFor(writer, 'okapi')).toEqual([]);
    expect(await writer.container.search.service.catchUp()).toBeGreaterThanOrEqual(1);
    expect(await idsFor(writer, 'okapi')).toEqual([id]);
    expect(await writer.container.search.service.catchUp()).toBe(0);
  });

  it('when articles were published while no indexer ran, then an instance starting its consumers indexes them', async () => {
    const ada = await newUser(writer.app, 'Ada');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(bodyOf(await post(writer.app, '/articles/publish', ada.token, { title: `Narwhal ${i}`, content: 'tusks' })).data.id);
    const draft = bodyOf(await post(writer.app, '/articles/edit', ada.token, { title: 'Narwhal draft', content: 'x' })).data.id as number;
    await new Promise((r) => setTimeout(r, 200));
    expect(await idsFor(writer, 'narwhal')).toEqual([]);

    // A new durable group starts from now: only the catch-up can find the three.
    const indexer = await buildTestApp(stack, {}, { shareWith: writer });
    try {
      await eventually(async () => expect((await idsFor(indexer, 'narwhal')).sort((a, b) => a - b)).toEqual(ids), 5000);
      expect(await idsFor(indexer, 'narwhal')).not.toContain(draft);
      expect(indexer.logs.some((l) => l.msg === 'search index caught up with published articles' && l.count === 3)).toBe(true);
    } finally {
      await indexer.close();
    }
  });
});
