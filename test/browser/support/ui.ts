import type { Page } from 'playwright-core';

/** Steps of the UI a person takes, for the browser tests. */
type Shot = (name: string) => Promise<unknown>;

export async function signUp(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole('link', { name: 'Sign up' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: /Account menu/ }).waitFor();
}

export async function logIn(page: Page, baseUrl: string, email: string, password: string, opts: { screenshot?: Shot } = {}): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await opts.screenshot?.('03-login');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('button', { name: /Account menu/ }).waitFor();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.getByRole('link', { name: 'Log in' }).waitFor();
}

/** Writes in the editor, saves a draft, publishes; returns the article id (the reader page is open). */
export async function publishArticle(page: Page, title: string, markdown: string, opts: { screenshot?: Shot; tags?: string } = {}): Promise<number> {
  await page.getByRole('link', { name: 'Write', exact: true }).click();
  await page.getByPlaceholder('Title').fill(title);
  await page.getByLabel('Markdown').fill(markdown);
  if (opts.tags) await page.getByLabel('Tags').fill(opts.tags);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('All changes saved').waitFor();
  await opts.screenshot?.('03-editor');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.waitForURL(/\/post\/\d+$/);
  return Number(new URL(page.url()).pathname.split('/').pop());
}
