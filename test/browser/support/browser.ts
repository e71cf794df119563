import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { packageRoot } from '../../../src/pkg/http/static-site.js';

/** Debian's chromium (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = process.env.WEBOOK_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = path.join(packageRoot(), 'test-results', 'screenshots');

/**
 * Why the browser tests cannot run here, or null when they can. CI
 * (WEBOOK_TEST_REQUIRE_ALL=1) turns a missing browser into a failure instead of a skip.
 */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `no chromium at ${CHROMIUM}: install it with \`apt-get install chromium\``;
  if (process.env.WEBOOK_TEST_REQUIRE_ALL === '1') throw new Error(`WEBOOK_TEST_REQUIRE_ALL=1 but ${reason}`);
  return reason;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless, sandbox-free (containers), on a fresh profile directory, with chromium's own
 * background traffic (updates, sync, QUIC probes) turned off: only our pages load.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'webook-chromium-'));
  // Playwright takes the profile directory itself (a --user-data-dir argument is refused).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
