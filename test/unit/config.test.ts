import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env.js';

const secrets = {
  WEBOOK_JWT_ACCESS_SECRET: 'a'.repeat(32),
  WEBOOK_JWT_REFRESH_SECRET: 'b'.repeat(32),
};

describe('configuration', () => {
  it('when nothing is set, then development runs embedded on SQLite under ./data with the memory cache', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'webook-cfg-'));
    const config = loadConfig({ WEBOOK_DATA_DIR: dir });
    expect(config.mode).toBe('development');
    expect(config.http.port).toBe(8080);
    expect(config.db.url).toBe(`sqlite:${path.join(dir, 'webook.db')}`);
    expect(config.db.migrateOnStart).toBe(true);
    expect(config.cache.url).toBe('memory');
    expect(config.auth.accessTtlSeconds).toBe(1800);
    expect(config.auth.refreshTtlSeconds).toBe(7 * 24 * 3600);
    // Generated once, private, and stable across restarts.
    expect(statSync(path.join(dir, 'dev-secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ WEBOOK_DATA_DIR: dir }).auth.accessSecret).toBe(config.auth.accessSecret);
  });

  it('when production lacks secrets and a database, then it refuses, naming every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ WEBOOK_MODE: 'production' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringContaining('WEBOOK_JWT_ACCESS_SECRET'),
      expect.stringContaining('WEBOOK_JWT_REFRESH_SECRET'),
      expect.stringContaining('WEBOOK_DB'),
    ]);
  });

  it('when values are malformed, then every one is reported', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', WEBOOK_CACHE: 'memcached://x', WEBOOK_DB: 'oracle://x', WEBOOK_JWT_ACCESS_SECRET: 'short' }),
    ).toThrow(/PORT[\s\S]*WEBOOK_DB[\s\S]*WEBOOK_CACHE[\s\S]*WEBOOK_JWT_ACCESS_SECRET/);
  });

  it('when production is fully configured, then migrations are not run on start', () => {
    const config = loadConfig({ WEBOOK_MODE: 'production', WEBOOK_DB: 'mysql://root@127.0.0.1/webook', WEBOOK_CACHE: 'redis://127.0.0.1:6379', ...secrets });
    expect(config.db.migrateOnStart).toBe(false);
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.http.corsOrigins).toEqual([]);
    // Reads are counted five seconds at a time; a quiet client's limit syncs every ten.
    expect(config.consumers.readBatch.waitMs).toBe(5000);
    expect(config.rateLimit.apiRefreshMs).toBe(10_000);
  });

  it('when the two secrets are equal or the refresh ttl is not longer, then it refuses', () => {
    expect(() => loadConfig({ WEBOOK_DB: 'sqlite::memory:', WEBOOK_JWT_ACCESS_SECRET: 'c'.repeat(32), WEBOOK_JWT_REFRESH_SECRET: 'c'.repeat(32) })).toThrow(
      /must differ/,
    );
    expect(() => loadConfig({ ...secrets, WEBOOK_ACCESS_TTL_SECONDS: '600', WEBOOK_REFRESH_TTL_SECONDS: '600' })).toThrow(/longer/);
  });

  it('when the heap growth is left alone, then the server lets its heap reach twice what is alive; 0 leaves it to V8, and nonsense is refused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'webook-cfg-'));
    expect(loadConfig({ WEBOOK_DATA_DIR: dir }).runtime.heapGrowthPercent).toBe(100);
    expect(loadConfig({ WEBOOK_DATA_DIR: dir, WEBOOK_HEAP_GROWTH_PERCENT: '0' }).runtime.heapGrowthPercent).toBe(0);
    for (const bad of ['-1', '401', 'lots']) expect(() => loadConfig({ WEBOOK_DATA_DIR: dir, WEBOOK_HEAP_GROWTH_PERCENT: bad })).toThrow(ConfigError);
  });
});

