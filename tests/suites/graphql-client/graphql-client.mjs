// Queries and mutations on the blog example through graphql-request, against a real `sharpbase serve`.
import { writeFileSync } from 'node:fs';
import { GraphQLClient, ClientError, gql } from 'graphql-request';
import { chromium } from 'playwright-core';

const base = process.env.SB_URL;
let passed = 0;
let failed = 0;

async function test(name, body) {
  try {
    await body();
    passed++;
    console.log(`  passed  ${name}`);
  } catch (error) {
    failed++;
    console.log(`  FAILED  ${name}: ${error.message}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(email) {
  const password = 'correct horse battery staple';
  const post = (path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = await post('/auth/register', { email, password });
  assert(registered.status === 202 || registered.status === 201, `register answered ${registered.status}`);
  const login = await post('/auth/login', { email, password });
  assert(login.status === 200, `login answered ${login.status}`);
  return (await login.json()).access_token;
}

const suffix = Date.now().toString(36);
const alice = new GraphQLClient(base + '/graphql', { headers: { authorization: `Bearer ${await signIn(`alice-${suffix}@example.com`)}` } });
const bob = new GraphQLClient(base + '/graphql', { headers: { authorization: `Bearer ${await signIn(`bob-${suffix}@example.com`)}` } });
const anonymous = new GraphQLClient(base + '/graphql');
let draftId;

await test('createPost makes a draft owned by the caller and returns it with its author', async () => {
  const created = await alice.request(gql`
    mutation Create($data: PostInput!) { createPost(data: $data) { id title status author { email } } }
  `, { data: { title: `hello ${suffix}`, body: 'first post' } });
  draftId = created.createPost.id;
  assert(created.createPost.status === 'draft', `status ${created.createPost.status}`);
  assert(created.createPost.author.email === `alice-${suffix}@example.com`, 'the author is not alice');
});

await test('a draft is visible to its author only', async () => {
  const mine = await alice.request(gql`query One($id: ID!) { post(id: $id) { title } }`, { id: draftId });
  const theirs = await bob.request(gql`query One($id: ID!) { post(id: $id) { title } }`, { id: draftId });
  assert(mine.post?.title === `hello ${suffix}`, 'alice cannot see her draft');
  assert(theirs.post === null, 'bob sees alice\'s draft');
});

await test('updatePost publishes; the post then lists for anyone with its total and cursor', async () => {
  const updated = await alice.request(gql`
    mutation Publish($id: ID!) { updatePost(id: $id, data: { status: "published", views: 3 }) { status views version } }
  `, { id: draftId });
  assert(updated.updatePost.status === 'published' && updated.updatePost.views === 3 && updated.updatePost.version === 2, JSON.stringify(updated));
  const page = await anonymous.request(gql`
    query List($filter: String) { posts(filter: $filter, sort: "-created_at", limit: 5) { items { title author { email } tags { name } } next_cursor total } }
  `, { filter: `title ~ "${suffix}"` });
  assert(page.posts.total === 1 && page.posts.items.length === 1, JSON.stringify(page));
  assert(page.posts.items[0].author === null, 'an anonymous caller sees a user record');
  assert(page.posts.next_cursor === null, 'a one-item page has a next cursor');
});

await test('validation failures come back as errors with the REST code and the field', async () => {
  try {
    await alice.request(gql`mutation Create($data: PostInput!) { createPost(data: $data) { id } }`, { data: { title: 'x'.repeat(201) } });
    throw new Error('a 201-character title was accepted');
  } catch (error) {
    assert(error instanceof ClientError, error.message);
    const first = error.response.errors[0];
    assert(first.extensions.code === 'validation_failed', JSON.stringify(first));
    assert(first.extensions.errors.title, 'no error names the title');
  }
});

await test('another user may not delete the post (forbidden); its author may', async () => {
  try {
    await bob.request(gql`mutation Delete($id: ID!) { deletePost(id: $id) }`, { id: draftId });
    throw new Error('bob deleted alice\'s post');
  } catch (error) {
    assert(error instanceof ClientError && error.response.errors[0].extensions.code === 'forbidden', error.message);
  }
  const deleted = await alice.request(gql`mutation Delete($id: ID!) { deletePost(id: $id) }`, { id: draftId });
  assert(deleted.deletePost === draftId, JSON.stringify(deleted));
});

await test('GraphiQL loads in Chromium from this server alone and runs a query', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const offsite = [];
    const errors = [];
    page.on('request', (request) => { if (new URL(request.url()).host !== new URL(base).host) offsite.push(request.url()); });
    page.on('console', (message) => { if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text()); });
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(base + '/graphql');
    assert(response.status() === 200 && response.headers()['content-type'].startsWith('text/html'), `the page answered ${response.status()}`);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 15000 });
    await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ tags(limit: 1) { total } }'));
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => (document.querySelector('.result-window')?.textContent ?? '').includes('"total"'), null, { timeout: 15000 });
    const result = await page.textContent('.result-window');
    assert(result.includes('"data"'), result);
    assert(offsite.length === 0, `outside requests: ${offsite.join(', ')}`);
    assert(errors.length === 0, `console or page errors (CSP?): ${errors.join(' | ')}`);
  } finally {
    await browser.close();
  }
});

console.log(`graphql client: ${passed} passed, ${failed} failed`);
writeFileSync(process.env.SB_COUNTS, `${passed} ${failed}\n`);
process.exitCode = failed === 0 ? 0 : 1;
