import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { ArticleStatus, type Article } from '../../src/modules/article/article.domain.js';
import { articleOf, decodeRendered, encodeRendered, readerPage, render } from '../../src/modules/article/article.render.js';
import { PublishedArticleData } from '../../src/modules/article/article.schemas.js';
import { Envelope } from '../../src/pkg/http/envelope.js';

const article: Article = {
  id: 42,
  authorId: 7,
  title: 'Quotes " and \\ backslashes, </script>, 中文, 😀',
  content: '# Title\n\n```ts\nconst s = "\\u0000";\n```\n\t<script>alert(1)</script>\u2028',
  tags: ['c++', '分布式'],
  status: ArticleStatus.published,
  ctime: 1_700_000_000_000,
  utime: 1_700_000_001_000,
};

describe('pre-rendered reader page', () => {
  it('when an article is rendered, cached and decoded, then it comes back unchanged', () => {
    const raw = encodeRendered(render(article));
    const decoded = decodeRendered(raw)!;
    expect(decoded.id).toBe(42);
    expect(decoded.authorId).toBe(7);
    expect(articleOf(decoded)).toEqual(article);
  });

  it('when the page is built, then it is the JSON the schema describes, tricky characters included', () => {
    const page = readerPage(render(article), 'Ada "the first"', { readCnt: 3, likeCnt: 2, collectCnt: 1, liked: true, collected: false });
    const body = JSON.parse(page.toString('utf8'));
    expect(Value.Check(Envelope(PublishedArticleData), body)).toBe(true);
    expect(body).toEqual({
      code: 0,
      msg: 'ok',
      data: {
        id: 42,
        title: article.title,
        content: article.content,
        tags: ['c++', '分布式'],
        author: { id: 7, name: 'Ada "the first"' },
        ctime: article.ctime,
        utime: article.utime,
        readCnt: 3,
        likeCnt: 2,
        collectCnt: 1,
        liked: true,
        collected: false,
      },
    });
  });

  it('when a cached value is not in the rendered form, then decoding says so instead of guessing', () => {
    expect(decodeRendered('{"id":1}')).toBeUndefined();
    expect(decodeRendered('abc\n"id":1')).toBeUndefined();
    expect(decodeRendered('7\n"id":1,"title":"t","content":"\\",\\"tags\\":[","ctime":1,"utime":1'), 'the format before tags').toBeUndefined();
    expect(decodeRendered('7\n"title":"t","id":1,"content":"","tags":[],"ctime":1,"utime":1'), 'the id not first').toBeUndefined();
    expect(decodeRendered('7\n"id":x1,"title":"t","content":"","tags":[],"ctime":1,"utime":1'), 'an id that is no number').toBeUndefined();
  });

  it('when two readers get the same cached article, then each page carries its own reader fields and the whole article', () => {
    const shared = render(article);
    const first = JSON.parse(readerPage(shared, '作者', { readCnt: 1, likeCnt: 0, collectCnt: 0, liked: true, collected: true }).toString('utf8'));
    const second = JSON.parse(readerPage(shared, 'B', { readCnt: 2, likeCnt: 5, collectCnt: 1, liked: false, collected: false }).toString('utf8'));
    expect(first.data).toMatchObject({ content: article.content, author: { id: 7, name: '作者' }, readCnt: 1, liked: true, collected: true });
    expect(second.data).toMatchObject({ content: article.content, author: { id: 7, name: 'B' }, readCnt: 2, likeCnt: 5, liked: false, collected: false });
  });

  it('when many pages are built before any is sent, then none overwrites another (small ones share buffers, large ones do not)', () => {
    const sizes = [300, 3_000, 7_000, 20_000, 60_000];
    const articles = sizes.map((n, i) => render({ ...article, id: i + 1, content: `${i}`.repeat(n) }));
    // Enough pages to fill several shared buffers, all held at once as a slow write would hold them.
    const pages = Array.from({ length: 120 }, (_, k) => {
      const a = articles[k % articles.length]!;
      return { k, a, bytes: readerPage(a, `reader ${k}`, { readCnt: k, likeCnt: 0, collectCnt: 0, liked: k % 2 === 0, collected: false }) };
    });
    for (const p of pages) {
      const body = JSON.parse(p.bytes.toString('utf8'));
      expect(body.data.id).toBe(p.a.id);
      expect(body.data.content).toHaveLength(sizes[p.k % sizes.length]!);
      expect(body.data).toMatchObject({ author: { name: `reader ${p.k}` }, readCnt: p.k, liked: p.k % 2 === 0 });
    }
  });
});
