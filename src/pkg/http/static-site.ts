import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Serves the browser UI (the Vite build in web/dist) from the API's own origin, so a
 * fresh `npm start` is a working site and the UI needs no CORS.
 *
 * - Files of the build are served under their own paths (/assets/*, found per request so
 *   that a rebuild needs no restart; the few top-level files listed at start), so they never
 *   shadow an API route, and an API route never has to know about them.
 * - Any other GET that a browser navigates to (Accept: text/html) gets index.html: the
 *   UI's router draws the page. Paths under a prefix the API owns (/users, /articles,
 *   /docs, /metrics...) never do: there an unknown path stays the API's JSON 404.
 * - Hashed assets (web/dist/assets/*) are cached for a year; index.html is revalidated on
 *   every load, so a new deploy is picked up at once.
 * - Without a build the server still starts and `/` explains how to make one.
 */
export interface StaticSiteOptions {
  /** The Vite output directory; the package's own web/dist when not given. */
  dir?: string;
}

/** First path segments the UI must never claim, besides every API route's own (collected below). */
const RESERVED = new Set(['docs', 'metrics', 'healthz', 'readyz', 'assets']);
const YEAR_SECONDS = 365 * 24 * 3600;

/** The directory holding package.json, found from this file whether it runs from src/ or dist/src/. */
export function packageRoot(from = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const defaultWebDir = () => path.join(packageRoot(), 'web', 'dist');

/**
 * The page's second line of defence behind DOMPurify: only our own scripts run (no inline
 * script, no event-handler attribute, no eval), so markup that slipped through sanitising
 * still does nothing. Inline style attributes stay allowed (React sets a few); images may come
 * from any https host, as articles link them.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const firstSegment = (url: string) => url.split('?')[0]!.split('/')[1] ?? '';

const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

/**
 * Call before the API's routes are registered: it watches them to learn which first
 * path segments belong to the API.
 */
export async function installStaticSite(app: FastifyInstance, opts: StaticSiteOptions = {}): Promise<void> {
  const dir = path.resolve(opts.dir ?? defaultWebDir());
  const apiSegments = new Set(RESERVED);
  app.addHook('onRoute', (route) => {
    const segment = firstSegment(route.url ?? route.path);
    if (segment && !segment.startsWith(':') && !segment.startsWith('*')) apiSegments.add(segment);
  });

  const indexFile = path.join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
    return;
  }
  await serveBuildFiles(app, dir);
  const sendIndex = indexSender(indexFile);
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  // The lowest-priority route: only paths no other route matched arrive here.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (!wantsHtml(request) || apiSegments.has(firstSegment(request.url))) return reply.callNotFound();
    return sendIndex(reply);
  });
}

/** Everything of the build but index.html, with its cache headers. */
async function serveBuildFiles(app: FastifyInstance, dir: string): Promise<void> {
  // Hashed assets are looked up per request: a rebuild while the server runs brings new
  // names, and the new index.html must find them without a restart.
  const assets = path.join(dir, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      wildcard: true,
      index: false,
      decorateReply: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('cache-control', `public, max-age=${YEAR_SECONDS}, immutable`),
    });
  }
  // The few other files (favicon...): one route each, listed at start; revalidated on use.
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    index: false,
    decorateReply: false,
    serveDotFiles: false,
    cacheControl: false,
    globIgnore: ['assets/**', 'index.html'], // index.html is sent by indexSender, with its own headers
    setHeaders: (res) => res.setHeader('cache-control', 'no-cache'),
  });
}

/** index.html is small and changes only with a rebuild: kept in memory, re-read when its mtime moves. */
function indexSender(indexFile: string) {
  let page = { html: readFileSync(indexFile), mtime: statSync(indexFile).mtimeMs };
  return (reply: FastifyReply) => {
    const mtime = statSync(indexFile, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime !== undefined && mtime !== page.mtime) page = { html: readFileSync(indexFile), mtime };
    return reply.headers(PAGE_HEADERS).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page.html);
  };
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Webook: the UI is not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .35rem;border-radius:4px}</style></head>
<body><h1>Webook is running</h1>
<p>The API answers (see <a href="/docs">/docs</a>), but the web UI has not been built yet.</p>
<p>Build it with <code>npm run build</code> (or only the UI: <code>npm run build:web</code>) and restart
the server (<code>npm start</code> does both), or run <code>npm run dev</code> for the UI with hot reload.</p></body></html>
`;
