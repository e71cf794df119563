import { ArticleStatus, type Article } from './article.domain.js';

/**
 * The reader page is the hottest route, and most of its bytes are the article's Markdown.
 * So a published article is cached already serialised: the author id, a newline, then the JSON members the page sends unchanged (`"id":..,"title":..,"content":..,
 * "tags":[..],"ctime":..,"utime":..`). Serving it costs no JSON.parse and no re-escaping of the content, only
 * string concatenation; the few per-reader fields are appended around it.
 */
export interface RenderedArticle {
  id: number;
  authorId: number;
  /** JSON object members, without the braces. */
  members: string;
}

export function render(article: Article): RenderedArticle {
  const { id, title, content, tags, ctime, utime } = article;
  return { id, authorId: article.authorId, members: JSON.stringify({ id, title, content, tags, ctime, utime }).slice(1, -1) };
}

export const encodeRendered = (r: RenderedArticle): string => `${r.authorId}\n${r.members}`;

/**
 * The members since tags exist. In JSON an unescaped quote only ever ends a string, so
 * this sequence can only be the key itself; it sits near the end, so a backward search
 * finds it in a few steps however long the content is.
 */
const TAGS_KEY = ',"tags":[';

/** How the members begin: render() puts the id first. */
const ID_KEY = '"id":';

/**
 * Undefined when raw is not in the cached form (then the caller reads the database):
 * not `<authorId>\n<members>` with the id first, or written before tags existed.
 */
export function decodeRendered(raw: string): RenderedArticle | undefined {
  const cut = raw.indexOf('\n');
  const authorId = Number(raw.slice(0, cut));
  if (cut < 1 || !Number.isSafeInteger(authorId) || raw.lastIndexOf(TAGS_KEY) < cut || !raw.startsWith(ID_KEY, cut + 1)) return undefined;
  const idEnd = raw.indexOf(',', cut);
  const id = Number(raw.slice(cut + 1 + ID_KEY.length, idEnd));
  if (idEnd < 0 || !Number.isSafeInteger(id)) return undefined;
  return { id, authorId, members: raw.slice(cut + 1) };
}

/** Back to a domain object, for the callers that need fields (likes, collections). */
export function articleOf(r: RenderedArticle): Article {
  const fields = JSON.parse(`{${r.members}}`) as Pick<Article, 'id' | 'title' | 'content' | 'tags' | 'ctime' | 'utime'>;
  return { ...fields, authorId: r.authorId, status: ArticleStatus.published };
}

/** The page's fields that depend on the moment and the reader. */
export interface ReaderExtras {
  readCnt: number;
  likeCnt: number;
  collectCnt: number;
  liked: boolean;
  collected: boolean;
}

/**
 * The bytes of a page that depend on the article alone, up to the author's name: built once
 * per cached article object (the cache hands the same one to every reader, see
 * ArticleCache.getPublished), so a page costs one copy of them instead of building,
 * measuring and encoding a string of the whole article on every request.
 */
const pageHeads = new WeakMap<RenderedArticle, Buffer>();

function pageHead(r: RenderedArticle): Buffer {
  let head = pageHeads.get(r);
  if (!head) {
    head = Buffer.from(`{"code":0,"msg":"ok","data":{${r.members},"author":{"id":${r.authorId},"name":`);
    pageHeads.set(r, head);
  }
  return head;
}

/**
 * Pages are cut from shared 64 KiB slabs, as Node's own pool does for buffers under 4 KiB:
 * most pages are larger than that, and a buffer of their own each is an allocation outside
 * the JavaScript heap, with its own bookkeeping for the collector. A page is dropped once
 * the kernel has taken its bytes, so a slab lives about as long as its last response's
 * write. Pages over 16 KiB still get a buffer of their own.
 */
const SLAB_BYTES = 64 * 1024;
const OWN_BUFFER_OVER = 16 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

function pageBuffer(size: number): Buffer {
  if (size > OWN_BUFFER_OVER) return Buffer.allocUnsafeSlow(size);
  if (slabUsed + size > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const page = slab.subarray(slabUsed, slabUsed + size);
  slabUsed += (size + 7) & ~7; // the next page starts 8-byte aligned, as in Node's pool
  return page;
}

/** The whole `{ code, msg, data }` body of GET /articles/pub/:id, as the route's schema describes it, in UTF-8. */
export function readerPage(r: RenderedArticle, authorName: string, x: ReaderExtras): Buffer {
  const head = pageHead(r);
  const tail =
    `${JSON.stringify(authorName)}},"readCnt":${Math.trunc(x.readCnt)},"likeCnt":${Math.trunc(x.likeCnt)},` +
    `"collectCnt":${Math.trunc(x.collectCnt)},"liked":${x.liked === true},"collected":${x.collected === true}}}`;
  const page = pageBuffer(head.length + Buffer.byteLength(tail));
  head.copy(page);
  page.write(tail, head.length);
  return page;
}
