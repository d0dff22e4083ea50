// The /docs page in headless Chromium: it renders the blog's collections, loads nothing from
// outside this machine, and breaks no rule of its Content-Security-Policy.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { assert, base, check, finish, results } from './harness.mjs';

const loopback = (url) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'blob:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
};

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const outside = [];
const problems = [];
// Every request is looked at; one that would leave the machine is recorded and never sent.
await page.route('**/*', (route) => {
  const url = route.request().url();
  if (loopback(url)) {
    return route.continue();
  }
  outside.push(url);
  return route.abort();
});
page.on('console', (message) => {
  if (message.type() === 'error') problems.push(message.text());
});
page.on('pageerror', (error) => problems.push(String(error)));

await check('/docs renders the blog collections', async () => {
  const response = await page.goto(`${base}/docs/`, { waitUntil: 'networkidle' });
  assert(response.status() === 200, `/docs answered ${response.status()}`);
  // The sidebar lists every collection as a tag; opening one shows its operations.
  for (const collection of ['users', 'posts', 'tags']) {
    await page.getByText(collection, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
  }
  await page.getByText('posts', { exact: true }).first().click();
  await page.getByText('List posts', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.getByText('tags', { exact: true }).first().click();
  await page.getByText('Create a record of tags', { exact: true }).first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.screenshot({ path: path.join(results, 'openapi-docs.png'), fullPage: false });
  const body = await page.locator('body').innerText();
  assert(body.includes('Sharpbase API'), 'the title is shown');
});

await check('/docs loads nothing from outside the machine', async () => {
  assert(outside.length === 0, `requests leaving loopback: ${outside.join(', ')}`);
});

await check('/docs breaks no CSP rule and throws no error', async () => {
  assert(problems.length === 0, problems.join('\n'));
});

await browser.close();
finish('docs');
