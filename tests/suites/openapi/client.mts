// A client generated from the served document (openapi-typescript types + openapi-fetch), used as an
// app would: register, sign in, create a post, list with a filter, update with If-Match, delete.
import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type Post = components['schemas']['Post'];

const base = process.env.SHARPBASE_URL!;
let passed = 0;
let failed = 0;

async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    passed++;
    console.log(`  ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`  FAIL ${name}: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

const client = createClient<paths>({ baseUrl: base });
let token = '';
client.use({
  onRequest({ request }) {
    if (token) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
});

const email = `client.${Date.now().toString(36)}@example.com`;
const password = 'a client password';
let post: Post | undefined;
let etag = '';

await step('register', async () => {
  const { data, response } = await client.POST('/auth/register', { body: { email, password, name: 'Client' } });
  expect(response.status === 202 && data?.status === 'accepted', `register answered ${response.status}`);
});

await step('login', async () => {
  const { data, error } = await client.POST('/auth/login', { body: { email, password } });
  expect(data !== undefined && 'access_token' in data, `login failed: ${JSON.stringify(error)}`);
  token = data.access_token;
  expect(data.user?.email === email, 'the session names the account');
});

await step('create a post', async () => {
  const { data, response, error } = await client.POST('/api/posts', { body: { title: 'Typed', status: 'published', meta: { from: 'client' } } });
  expect(response.status === 201 && data !== undefined, `create answered ${response.status}: ${JSON.stringify(error)}`);
  post = data;
  etag = response.headers.get('ETag') ?? '';
  const views: number | null = data.views;
  expect(views === 0 && data.status === 'published' && etag === `"${data.version}"`, 'defaults and ETag');
});

await step('list with a filter', async () => {
  const { data } = await client.GET('/api/posts', { params: { query: { filter: `id = "${post!.id}" && status = "published"`, count: true, expand: 'author' } } });
  expect(data !== undefined && data.total === 1 && data.items[0]?.id === post!.id, 'the filter finds the post');
  expect(data.items[0]?.expand?.author?.email === email, 'the author is expanded');
});

await step('update with If-Match', async () => {
  const { data, response } = await client.PATCH('/api/posts/{id}', {
    params: { path: { id: post!.id }, header: { 'If-Match': etag } },
    body: { title: 'Typed and updated' },
  });
  expect(response.status === 200 && data?.title === 'Typed and updated' && data.version === post!.version + 1, `update answered ${response.status}`);
  const stale = await client.PATCH('/api/posts/{id}', { params: { path: { id: post!.id }, header: { 'If-Match': etag } }, body: { title: 'stale' } });
  expect(stale.response.status === 412 && stale.error?.code === 'precondition_failed', `a stale If-Match answered ${stale.response.status}`);
  etag = response.headers.get('ETag') ?? '';
});

await step('delete', async () => {
  const { response } = await client.DELETE('/api/posts/{id}', { params: { path: { id: post!.id }, header: { 'If-Match': etag } } });
  expect(response.status === 204, `delete answered ${response.status}`);
  const gone = await client.GET('/api/posts/{id}', { params: { path: { id: post!.id } } });
  expect(gone.response.status === 404 && gone.error?.code === 'not_found', 'the post is gone');
});

// Never called: these lines only have to fail to type-check, which proves the types are strict.
export function typeChecks(): void {
  // @ts-expect-error `nope` is not a field of posts
  const unknownField: components['schemas']['PostCreate'] = { title: 'x', nope: 1 };
  void unknownField;
  // @ts-expect-error status is one of draft, published
  void client.POST('/api/posts', { body: { title: 'x', status: 'archived' } });
  // @ts-expect-error title is required
  void client.POST('/api/posts', { body: { body: 'no title' } });
}

console.log(`RESULT client ${passed} ${failed}`);
process.exit(failed === 0 ? 0 : 1);
