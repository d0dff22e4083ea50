// The pages behind the links in verification and reset mail, driven in a real Chromium against a
// real `sharpbase serve`: open the link from the .eml in the outbox, click, and check the account.
import { chromium } from 'playwright-core';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.SB_URL;
const outbox = process.env.SB_OUTBOX;
let passed = 0;
let failed = 0;

async function test(name, body) {
  try {
    await body();
    passed++;
    console.log(`  passed  ${name}`);
  } catch (error) {
    failed++;
    console.log(`  FAILED  ${name}\n    ${error.stack || error}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function api(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

// Quoted-printable soft breaks and escapes (only in a mail that uses it: decoding plain text would
// turn a token starting with two hex digits into a byte), then the first link to the given path.
function linkFromMail(to, path) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort() : [];
    for (const file of files.reverse()) {
      const raw = readFileSync(join(outbox, file), 'utf8');
      if (!raw.includes(to)) continue;
      const text = /quoted-printable/i.test(raw) ? raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))) : raw;
      const match = text.match(new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${path}#token=[A-Za-z0-9_%-]+`));
      if (match) return match[0];
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  throw new Error(`no mail to ${to} with a link to ${path}`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext();
const offsite = [];
const cspErrors = [];
context.on('request', (request) => {
  const url = new URL(request.url());
  if (url.hostname !== '127.0.0.1') offsite.push(request.url());
});

async function open(url) {
  const page = await context.newPage();
  page.on('console', (message) => { if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) cspErrors.push(message.text()); });
  const response = await page.goto(url);
  return { page, response };
}

const email = `reader-${Date.now()}@example.com`;
const password = 'first password 123';

await test('register mails a verification link that opens the built-in page and confirms the address', async () => {
  const registered = await api('POST', '/auth/register', { email, password });
  assert(registered.status === 202, `register answered ${registered.status}`);
  const link = linkFromMail(email, '/auth/verify');
  const { page, response } = await open(link);
  assert(response.status() === 200, `page answered ${response.status()}`);
  assert(!page.url().includes('token'), `the token is still in the address bar: ${page.url()}`);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('Your email address is confirmed').waitFor({ timeout: 5000 });
  const login = await api('POST', '/auth/login', { email, password });
  const me = await api('GET', '/auth/me', undefined, login.json.access_token);
  assert(me.json.user.verified === true, `the account is not verified: ${JSON.stringify(me.json)}`);
  await page.close();
});

await test('a used verification link says so on the page', async () => {
  const link = linkFromMail(email, '/auth/verify');
  const { page } = await open(link);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('The link is invalid, expired or already used').waitFor({ timeout: 5000 });
  await page.close();
});

await test('the reset page checks the repeat, refuses a weak password, then sets the new one', async () => {
  const forgot = await api('POST', '/auth/password/forgot', { email });
  assert(forgot.status === 202, `forgot answered ${forgot.status}`);
  const link = linkFromMail(email, '/auth/password/reset');
  const { page } = await open(link);
  await page.getByLabel('New password').fill('second password 456');
  await page.getByLabel('Repeat it').fill('something else');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await page.getByText('The two passwords differ.').waitFor({ timeout: 5000 });
  await page.getByLabel('New password').fill('short');
  await page.getByLabel('Repeat it').fill('short');
  await page.evaluate(() => { document.getElementById('password').removeAttribute('minlength'); });
  await page.getByRole('button', { name: 'Change my password' }).click();
  // The message still says the passwords differed until the server's answer replaces it.
  await page.waitForFunction(() => document.getElementById('message').textContent.startsWith('The password'), null, { timeout: 10000 })
    .catch(async () => { throw new Error(`a weak password was not explained: ${await page.locator('#message').textContent()}`); });
  assert(await page.locator('#message.error').count() === 1, 'the weak-password answer is not shown as an error');
  await page.getByLabel('New password').fill('second password 456');
  await page.getByLabel('Repeat it').fill('second password 456');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await page.getByText('Your password is changed').waitFor({ timeout: 5000 });
  assert((await api('POST', '/auth/login', { email, password: 'second password 456' })).status === 200, 'the new password does not sign in');
  assert((await api('POST', '/auth/login', { email, password })).status === 401, 'the old password still signs in');
  await page.close();
});

await test('a page opened without a token explains what to do', async () => {
  const { page } = await open(`${base}/auth/password/reset`);
  await page.getByText('This link has no token').waitFor({ timeout: 5000 });
  assert(await page.locator('#form').isHidden(), 'the form is shown without a token');
  await page.close();
});

await test('no request left loopback and the content security policy blocked nothing', async () => {
  assert(offsite.length === 0, `requests left loopback: ${offsite.join(', ')}`);
  assert(cspErrors.length === 0, `console errors: ${cspErrors.join(' | ')}`);
});

await browser.close();
console.log(`auth pages: ${passed} passed, ${failed} failed`);
writeFileSync(process.env.SB_COUNTS, `${passed} ${failed}\n`);
process.exitCode = failed === 0 ? 0 : 1;
