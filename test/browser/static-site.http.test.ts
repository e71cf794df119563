import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/pkg/http/static-site.js';
import { API_PREFIXES } from '../../web/dev-proxy.js';
import { buildTestApp, type TestApp } from '../support/app.js';

/** The server side of the UI: src/pkg/http/static-site.ts over a small fake build. */
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const stack = { dialect: 'sqlite' as const, cache: 'memory' as const };

function fakeBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'webook-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Webook UI v1</title>');
  writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd.js'), 'console.log("ui")');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('the UI served by the API server', () => {
  let t: TestApp;
  let dist: string;

  beforeAll(async () => {
    dist = fakeBuild();
    t = await buildTestApp(stack, { WEBOOK_WEB_DIR: dist });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('when a browser opens / or a page path, then it gets index.html, revalidated on every load', async () => {
    for (const url of ['/', '/post/12', '/write', '/bookmarks/3?x=1']) {
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('Webook UI v1');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self';/);
    }
  });

  it('when a browser opens any page of the UI, then the API does not own that path (no route of one shadows the other)', async () => {
    const routes = readFileSync(path.join(packageRoot(), 'web', 'src', 'App.tsx'), 'utf8');
    const patterns = [...routes.matchAll(/^\s*\['(\/[^']*)',/gm)].map((m) => m[1]!);
    expect(patterns.length).toBeGreaterThan(8);
    for (const pattern of patterns) {
      const url = pattern.replace(/:[a-z]+/g, '1');
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.headers['content-type'], `${url} is answered by the API, not the UI`).toMatch(/^text\/html/);
    }
  });

  it('when the UI runs under `npm run dev`, then Vite forwards every documented API path to the server', async () => {
    const paths = Object.keys((t.app.swagger() as { paths: Record<string, unknown> }).paths);
    const segments = new Set(paths.map((p) => p.split('/')[1]!));
    expect([...segments].filter((s) => !API_PREFIXES.includes(s)), 'add these to web/dev-proxy.ts').toEqual([]);
  });

  it('when a hashed asset is fetched, then it may be cached for a year; other files are revalidated', async () => {
    const asset = await t.app.inject({ url: '/assets/index-Ab12Cd.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await t.app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('when a path belongs to the API, then the API answers it, even for a browser', async () => {
    const newest = await t.app.inject({ url: '/articles/pub/newest', headers: HTML });
    expect(newest.statusCode).toBe(200);
    expect(newest.json()).toMatchObject({ code: 0 });
    for (const url of ['/healthz', '/readyz', '/docs/json']) {
      const res = await t.app.inject({ url, headers: HTML });
      expect(res.headers['content-type'], url).toMatch(/json/);
    }
    expect((await t.app.inject({ url: '/metrics', headers: HTML })).body).toMatch(/^# HELP/m);
  });

  it('when an unknown path is under an API prefix or is not a browser navigation, then it is the JSON 404, not the UI', async () => {
    const cases = [
      { url: '/users/nope', headers: HTML },
      { url: '/articles/pub/12/nope', headers: HTML },
      { url: '/docs/nope.json', headers: HTML },
      { url: '/assets/missing.js', headers: HTML },
      { url: '/post/12', headers: { accept: 'application/json' } },
      { url: '/post/12', headers: {} },
    ];
    for (const c of cases) {
      const res = await t.app.inject({ url: c.url, headers: c.headers });
      expect(res.statusCode, c.url).toBe(404);
      expect(res.json(), c.url).toEqual({ code: 400004, msg: 'no such route', data: null });
    }
    const post = await t.app.inject({ method: 'POST', url: '/post/12', headers: { ...HTML, 'content-type': 'application/json' }, payload: '{}' });
    expect(post.statusCode).toBe(404);
  });

  it('when the UI is rebuilt while the server runs, then the next load gets the new index.html and its new assets', async () => {
    const index = path.join(dist, 'index.html');
    writeFileSync(index, '<!doctype html><title>Webook UI v2</title>');
    const later = new Date(Date.now() + 5000);
    utimesSync(index, later, later);
    expect((await t.app.inject({ url: '/me', headers: HTML })).body).toContain('Webook UI v2');
    writeFileSync(path.join(dist, 'assets', 'index-Ef34Gh.js'), 'console.log("ui v2")');
    const asset = await t.app.inject({ url: '/assets/index-Ef34Gh.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toContain('ui v2');
  });
});

describe('the server without a UI build', () => {
  it('when web/dist is missing, then the server starts, / explains how to build the UI, and the API works', async () => {
    const t = await buildTestApp(stack, { WEBOOK_WEB_DIR: path.join(tmpdir(), 'webook-no-such-dist') });
    try {
      const home = await t.app.inject({ url: '/', headers: HTML });
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('npm run build');
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('when the UI is switched off (WEBOOK_WEB_DIR=off), then / is the API\'s 404', async () => {
    const t = await buildTestApp(stack, { WEBOOK_WEB_DIR: 'off' });
    try {
      const home = await t.app.inject({ url: '/', headers: HTML });
      expect(home.statusCode).toBe(404);
      expect(home.json()).toMatchObject({ code: 400004 });
    } finally {
      await t.close();
    }
  });
});
