import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import type { Database } from '../../src/pkg/db/database.js';
import { SearchDao } from '../../src/modules/search/search.dao.js';
import type { SearchDoc } from '../../src/modules/search/search.domain.js';
import { queryTermsOf, termsOf } from '../../src/modules/search/search.segmenter.js';
import { dialects, freshDatabase } from '../support/backends.js';

describe('search segmenter', () => {
  it('when Chinese text is indexed, then its words and the shorter words inside them come out', () => {
    expect(termsOf('分布式系统的一致性')).toEqual(['分布', '布式', '系统', '分布式', '分布式系统', '的', '一致', '一致性']);
    expect(termsOf('数据库事务')).toEqual(['数据', '据库', '数据库', '事务']);
  });

  it('when a Chinese query is cut, then each of its words is among the terms an article containing it was indexed under', () => {
    const indexed = new Set(termsOf('分布式系统的一致性与数据库事务隔离级别'));
    for (const query of ['分布式系统', '分布式', '一致性', '一致', '数据库事务', '隔离级别']) {
      const words = queryTermsOf(query, 16);
      expect(words.length, query).toBeGreaterThan(0);
      for (const word of words) expect(indexed.has(word), `${query}: ${word}`).toBe(true);
    }
    expect(queryTermsOf('分布式系统的一致性', 16)).toEqual(['分布式系统', '的', '一致性']);
  });

  it('when text has punctuation, case and full-width forms, then terms are plain lower-case words', () => {
    expect(termsOf('Node.js, C++ and ＡＢＣ!')).toEqual(['node', 'js', 'c', 'and', 'abc']);
    expect(termsOf('"NEAR" OR * -x')).toEqual(['near', 'or', 'x']);
    expect(termsOf(`${'a'.repeat(65)} ok`)).toEqual(['ok']);
  });

  it('when a query repeats words or has too many, then it is deduplicated and capped', () => {
    expect(queryTermsOf('go Go GO rust', 16)).toEqual(['go', 'rust']);
    expect(queryTermsOf('a b c d e', 3)).toEqual(['a', 'b', 'c']);
  });
});

describe.each(dialects)('search dao on %s', (dialect) => {
  let database: Database<DB>;
  let drop: () => Promise<void>;
  let dao: SearchDao;
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase(dialect));
    dao = new SearchDao(database.db, dialect);
  });
  afterAll(async () => drop());

  const publishRow = (id: number, utime: number, status = 2) =>
    database.db.insertInto('published_articles').values({ id, author_id: 1, title: 't', content: 'c', status, ctime: utime, utime }).execute();
  const doc = (articleId: number, title: string, version: number): SearchDoc => ({
    articleId,
    titleTerms: termsOf(title),
    bodyTerms: termsOf('body text'),
    tagTerms: [],
    authorTerms: ['ada'],
    version,
  });

  it('when an older state is written after a newer one, then the newer one stays', async () => {
    await publishRow(1, 20);
    await dao.put(doc(1, 'newer words', 20));
    await dao.put(doc(1, 'older words', 10));
    expect(await dao.search(['newer'], 0, 10)).toEqual([1]);
    expect(await dao.search(['older'], 0, 10)).toEqual([]);
    await dao.remove(1, 15); // a withdraw older than the indexed publish
    expect(await dao.search(['newer'], 0, 10)).toEqual([1]);
    await dao.remove(1, 20);
    expect(await dao.search(['newer'], 0, 10)).toEqual([]);
  });

  it('when short, stop-listed and Chinese two-character words are indexed, then each is found (MariaDB would drop them unprefixed)', async () => {
    await publishRow(2, 30);
    await dao.put(doc(2, 'go is the 系统 of c', 30));
    for (const term of ['go', 'is', 'the', '系统', 'of', 'c']) expect(await dao.search([term], 0, 10), term).toEqual([2]);
  });

  it('when hundreds of articles match, then the best one is first even if it was indexed last', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => 1000 + i);
    await database.db.insertInto('published_articles').values(ids.map((id) => ({ id, author_id: 1, title: 't', content: 'c', status: 2, ctime: id, utime: id }))).execute();
    const rows = ids.map((id) => ({ article_id: id, title_terms: 'plain', body_terms: `wombat ${'filler '.repeat(30)}`, tags: '', author_name: 'x', utime: id }));
    await database.db.insertInto('search_articles').values(rows.slice(0, -1)).execute();
    const best = ids.at(-1)!;
    await dao.put({ ...doc(best, 'wombat wombat wombat', best), bodyTerms: ['wombat', 'wombat'], tagTerms: ['wombat'] });
    // The rows above skip indexText: on MySQL their words need its prefix to be found at all.
    if (dialect === 'mysql') await database.db.updateTable('search_articles').set({ body_terms: 'zzwombat zzfiller' }).where('article_id', '>=', ids[0]!).where('article_id', '<', best).execute();
    expect((await dao.search(['wombat'], 0, 2))[0]).toBe(best);
    const all = await dao.search(['wombat'], 0, 400);
    expect(all).toHaveLength(300);
    // Equal scores: the newest first.
    expect(all.slice(1, 4)).toEqual([best - 1, best - 2, best - 3]);
  });

  it('when an indexed article is not published, then search does not return it', async () => {
    await publishRow(3, 40, 3);
    await dao.put(doc(3, 'hidden marmot', 40));
    expect(await dao.search(['marmot'], 0, 10)).toEqual([]);
  });
});
