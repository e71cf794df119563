import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser, screenshotDir, type LaunchedBrowser } from './browser.js';
import { startServer, type RunningServer } from './server.js';
import { ensureWebBuild } from './web-build.js';

export interface Harness {
  readonly server: RunningServer;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors of the page. */
  readonly pageErrors: string[];
  /** Reports of the page's Content-Security-Policy blocking something. */
  readonly cspReports: string[];
  /** A full-page screenshot under test-results/screenshots/<name>.png. */
  shot(name: string): Promise<void>;
  /**
   * Runs `action` and answers the one dialog it raises (accept or dismiss), instead of the
   * default answer (confirm accepted, others dismissed); returns the dialog's message.
   */
  answeringDialog(accept: boolean, action: () => Promise<unknown>): Promise<string>;
}

/**
 * Registers the hooks of a browser suite: a fresh UI build if needed, the real server on
 * a fresh database, one chromium page; on a failed test a screenshot and the page's last
 * console lines. Call inside a describe; use the result from the tests.
 */
export function useBrowserHarness(serverEnv: Record<string, string> = {}): Harness {
  let server: RunningServer | undefined;
  let launched: LaunchedBrowser | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];
  const cspReports: string[] = [];
  const consoleLines: string[] = [];
  /** The answer a test chose for the next dialog (answeringDialog). */
  let nextAnswer: boolean | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser harness is not started');
    return value;
  };

  beforeAll(async () => {
    ensureWebBuild();
    [server, launched] = await Promise.all([startServer(serverEnv), launchBrowser()]);
    page = launched.context.pages()[0] ?? (await launched.context.newPage());
    page.setDefaultTimeout(15_000); // generous: the whole suite shares two cores
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      consoleLines.push(`${msg.type()}: ${msg.text()}`);
      // The CSP must never have to block our own code (it is there for what sanitising might miss).
      if (/Content Security Policy/i.test(msg.text())) cspReports.push(msg.text());
    });
    page.on('dialog', (dialog) => {
      const answer = nextAnswer ?? dialog.type() === 'confirm';
      nextAnswer = undefined;
      void (answer ? dialog.accept() : dialog.dismiss());
    });
  }, 120_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const name = `FAILED-${ctx.task.name.slice(0, 48).replace(/[^a-z0-9]+/gi, '-')}`;
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true }).catch(() => undefined);
    console.error(`[browser tests] ${name} at ${page.url()}:\n${consoleLines.slice(-20).join('\n')}`);
  });

  afterAll(async () => {
    await launched?.close();
    await server?.stop();
  });

  return {
    get server() {
      return need(server);
    },
    get context() {
      return need(launched).context;
    },
    get page() {
      return need(page);
    },
    pageErrors,
    cspReports,
    async answeringDialog(accept: boolean, action: () => Promise<unknown>) {
      nextAnswer = accept;
      try {
        const [dialog] = await Promise.all([need(page).waitForEvent('dialog'), action()]);
        return dialog.message();
      } finally {
        nextAnswer = undefined; // no dialog came: later ones get the default answer again
      }
    },
    async shot(name: string) {
      const p = need(page);
      await p.evaluate('window.scrollTo(0, 0)'); // a sticky header would otherwise sit mid-page in a full-page shot
      await p.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
    },
  };
}
