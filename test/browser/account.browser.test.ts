import { describe, expect, it } from 'vitest';
import { browserMissing } from './support/browser.js';
import { useBrowserHarness } from './support/harness.js';
import { STREAM_ARTICLE, smsCodeFrom } from './support/fixtures.js';
import { logOut, publishArticle, signUp } from './support/ui.js';

/**
 * The parts of the UI around an account, in a real browser against the real server on a
 * fresh database: loading and offline states, server-side validation, token refresh, SMS
 * login, phone-width layout. The cases run in order.
 * Code run in the page is passed as strings: the server's tsconfig has no DOM types.
 */
const missing = browserMissing();
if (missing) console.warn(`[browser tests] skipped: ${missing}`);

const PASSWORD = 'hello#World1';

describe.skipIf(missing !== null)('an account on Webook, in chromium', { timeout: 60_000 }, () => {
  const h = useBrowserHarness();

  it('when the site is new, then the home page loads from the server and says nothing is published yet', async () => {
    await h.page.goto(h.server.url);
    await h.page.getByRole('heading', { name: 'Nothing published yet' }).waitFor();
    await h.page.keyboard.press('Tab');
    expect(await h.page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await h.shot('01-home-empty');
  });

  it('when the server is slow, then a loading indicator shows; when it cannot be reached, then the page says so and retries', async () => {
    await h.page.route('**/articles/pub/newest*', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await h.page.goto(h.server.url);
    await h.page.locator('.skeleton-card').first().waitFor();
    await h.page.getByRole('heading', { name: 'Nothing published yet' }).waitFor();
    await h.page.unroute('**/articles/pub/newest*');

    await h.page.route('**/articles/pub/newest*', (route) => route.abort('connectionrefused'));
    await h.page.goto(h.server.url);
    await h.page.getByText('Cannot reach Webook. Check your connection and try again.').waitFor();
    await h.shot('01-home-offline');
    await h.page.unroute('**/articles/pub/newest*');
    await h.page.getByRole('button', { name: 'Try again' }).click();
    await h.page.getByRole('heading', { name: 'Nothing published yet' }).waitFor();
  });

  it('when a new user\'s profile gets a birthday in the future, then the server\'s message shows next to the field', async () => {
    await signUp(h.page, h.server.url, 'linus@example.com', PASSWORD); // lands on the profile page
    await h.page.getByLabel('Birthday').fill('2999-01-01');
    await h.page.getByRole('button', { name: 'Save changes' }).click();
    const message = h.page.locator('.field-invalid', { has: h.page.getByLabel('Birthday') }).locator('.field-error');
    await message.waitFor();
    expect(await message.textContent()).toMatch(/birthday must be a real date/i);
    expect(await h.page.getByLabel('Birthday').getAttribute('aria-invalid')).toBe('true');
    await h.shot('10-profile-bad-birthday');
  });

  it('when the access token is no longer valid, then one refresh (one across two tabs) keeps the user in; when the refresh fails too, then the login page says the session ended', async () => {
    await publishArticle(h.page, 'Tokens, tabs and single-use refreshes', STREAM_ARTICLE);
    await h.page.evaluate("localStorage.setItem('webook.access', 'expired-access-1')");
    await h.page.goto(`${h.server.url}/creator`);
    await h.page.getByRole('heading', { name: 'My articles' }).waitFor();
    await h.page.locator('.mine-row').first().waitFor();

    // Two tabs hit the 401 together. Refresh tokens are single-use and a reused one revokes the
    // session, so only one tab may refresh; the other must pick up the new pair.
    // A slow refresh makes the two overlap for certain.
    const second = await h.context.newPage();
    await h.context.route('**/users/refresh_token', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await h.page.evaluate("localStorage.setItem('webook.access', 'expired-access-2')");
    await Promise.all([h.page.goto(`${h.server.url}/creator`), second.goto(`${h.server.url}/me`)]);
    await Promise.all([h.page.locator('.mine-row').first().waitFor(), second.getByRole('heading', { name: 'Edit profile' }).waitFor()]);
    await h.context.unroute('**/users/refresh_token');
    await second.close();
    await h.page.reload();
    await h.page.locator('.mine-row').first().waitFor(); // still in: the session was not revoked

    // Each scenario its own dead token: a tab adopts another tab's rotation of the very token it holds.
    const breakSession = (n: number) => `localStorage.setItem('webook.access', 'dead-access-${n}'); localStorage.setItem('webook.refresh', 'dead-refresh-${n}')`;
    await h.page.evaluate(breakSession(3));
    await h.page.goto(h.server.url); // a public page stays readable, as a visitor
    await h.page.getByRole('link', { name: 'Log in' }).waitFor();
    await h.page.locator('.feed .article-card').first().waitFor();

    await h.page.evaluate(breakSession(4));
    await h.page.goto(`${h.server.url}/creator`);
    await h.page.getByText('Your session has ended').waitFor();
    expect(new URL(h.page.url()).pathname).toBe('/login');
    expect(new URL(h.page.url()).searchParams.get('next')).toBe('/creator');
  });

  it('when a person logs in with a texted code, then the code from the development SMS log opens a session', async () => {
    await h.page.goto(`${h.server.url}/login/sms`);
    await h.page.getByLabel('Mobile number').fill('13800138000');
    await h.page.getByRole('button', { name: 'Send code' }).click();
    await h.page.getByText('Code sent').waitFor();
    const code = smsCodeFrom(h.server.logs());
    await h.page.getByLabel('Code').fill(code);
    await h.shot('12-login-sms');
    await h.page.getByRole('button', { name: 'Log in', exact: true }).click();
    await h.page.getByRole('button', { name: /Account menu/ }).waitFor();
  });

  it('when the screen is phone-sized, then one can write and read and no page is wider than the screen', async () => {
    await h.page.setViewportSize({ width: 390, height: 844 });
    const fits = async (name: string) => {
      await h.page.locator('main h1, main h2, main .editor').first().waitFor();
      const overflow = await h.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, `${name} is wider than the phone`).toBeLessThanOrEqual(0);
      await h.shot(name);
    };
    await h.page.goto(h.server.url);
    await fits('13-phone-home');
    await h.page.goto(`${h.server.url}/write`);
    await fits('14-phone-editor');
    await h.page.goto(h.server.url);
    await publishArticle(h.page, 'Reading on a phone: a long title that has to wrap on a narrow screen', STREAM_ARTICLE, { tags: 'mobile' });
    await fits('15-phone-article');
    await logOut(h.page);
    await h.page.goto(`${h.server.url}/login`);
    await fits('16-phone-login');
    expect(h.pageErrors).toEqual([]);
    expect(h.cspReports).toEqual([]);
  });
  it('when an OAuth2 login sends the browser back with tokens in the fragment, then the page keeps them, clears the address bar and is logged in', async () => {
    await h.page.setViewportSize({ width: 1280, height: 860 });
    // The callback's redirect, reproduced: a session started for this browser (tokens are
    // bound to its user agent), handed over in the fragment exactly as the server writes it.
    const userAgent = await h.page.evaluate<string>('navigator.userAgent');
    const login = await fetch(`${h.server.url}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ email: 'linus@example.com', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const fragment = new URLSearchParams({ 'x-jwt-token': login.headers.get('x-jwt-token')!, 'x-refresh-token': login.headers.get('x-refresh-token')! });
    await h.page.goto(`${h.server.url}/me#${fragment.toString()}`);
    await h.page.getByRole('heading', { name: 'Edit profile' }).waitFor();
    await h.page.getByRole('button', { name: /Account menu/ }).waitFor();
    expect(await h.page.evaluate<string>('window.location.hash')).toBe('');
    // Without an OAuth app configured the login page offers no provider button.
    await logOut(h.page);
    await h.page.goto(`${h.server.url}/login`);
    await h.page.getByRole('link', { name: /Log in with a code by SMS/ }).waitFor();
    expect(await h.page.getByRole('button', { name: /Continue with/ }).count()).toBe(0);
  });
});
