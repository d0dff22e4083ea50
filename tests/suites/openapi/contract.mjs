// Sends requests for every operation of the served document (successes and error cases) and
// validates each real answer — status, headers and body — against the document with ajv (2020-12).
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { assert, base, check, finish, tokenFromOutbox } from './harness.mjs';
import { totp } from './totp.mjs';

const documentResponse = await fetch(`${base}/openapi.json`);
const doc = await documentResponse.json();
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema(doc, 'doc');
const validators = new Map();
const operations = new Map();
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    operations.set(operation.operationId, { path, method: method.toUpperCase(), operation });
  }
}
const called = new Set();

function validator(pointer, relaxRequired) {
  const key = pointer + (relaxRequired ? '#relaxed' : '');
  if (!validators.has(key)) {
    const schema = relaxRequired ? relaxed(resolve(pointer)) : { $ref: `doc#${pointer}` };
    validators.set(key, ajv.compile(schema));
  }
  return validators.get(key);
}

// Schemas written inline in an operation refer to components with document-relative pointers.
function inline(schema) {
  return JSON.parse(JSON.stringify(schema, (k, v) => (k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `doc${v}` : v)));
}

function resolve(pointer) {
  return pointer.split('/').slice(1).reduce((node, part) => node[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

// `fields=` returns a sparse record: the same schema with nothing required, references kept.
function relaxed(schema) {
  const copy = JSON.parse(JSON.stringify(schema, (k, v) => (k === '$ref' ? `doc${v}` : v)));
  const strip = (node) => {
    if (node && typeof node === 'object') {
      if (!Array.isArray(node)) delete node.required;
      Object.values(node).forEach(strip);
    }
  };
  if (copy.properties?.items?.items?.$ref) {
    copy.properties.items.items = relaxed(resolve(copy.properties.items.items.$ref.slice(4)));
    delete copy.required;
  } else {
    strip(copy);
  }
  return copy;
}

/** Calls an operation by id and checks the answer against the document; returns status, headers and parsed body. */
async function call(operationId, { params = {}, query, headers = {}, body, raw, contentType = 'application/json', token, expect, sparse = false } = {}) {
  const entry = operations.get(operationId);
  assert(entry, `the document has no operation ${operationId}`);
  called.add(operationId);
  let url = base + entry.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
  if (query) url += '?' + new URLSearchParams(query).toString();
  const init = { method: entry.method, headers: { ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) {
    init.body = raw ?? JSON.stringify(body);
    init.headers['Content-Type'] = contentType;
  }
  const response = await fetch(url, init);
  const text = await response.text();
  const label = `${operationId} → ${response.status}`;
  assert(expect === undefined || response.status === expect, `${entry.method} ${url}: expected ${expect}, got ${response.status}: ${text.slice(0, 400)}`);
  let spec = entry.operation.responses[String(response.status)];
  assert(spec, `${label} is not documented for ${entry.method} ${entry.path}`);
  if (spec.$ref) spec = resolve(spec.$ref.slice(1));
  for (const [name, declared] of Object.entries(spec.headers ?? {})) {
    const header = declared.$ref ? resolve(declared.$ref.slice(1)) : declared;
    const value = response.headers.get(name);
    if (value === null) {
      assert(!header.required, `${label}: the required header ${name} is missing`);
      continue;
    }
    const schema = header.schema.$ref ? resolve(header.schema.$ref.slice(1)) : header.schema;
    const typed = schema.type === 'integer' ? Number(value) : value;
    const validate = ajv.compile(inline(schema));
    assert(validate(typed), `${label}: header ${name}: ${value} does not match: ${ajv.errorsText(validate.errors)}`);
  }
  let json;
  if (!spec.content) {
    assert(text.length === 0, `${label}: a body where none is documented: ${text.slice(0, 200)}`);
  } else {
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const media = spec.content[mediaType];
    assert(media, `${label}: content type ${mediaType} is not one of ${Object.keys(spec.content).join(', ')}`);
    json = JSON.parse(text);
    const pointer = media.schema.$ref ? media.schema.$ref.slice(1) : null;
    const validate = pointer ? validator(pointer, sparse) : ajv.compile(inline(media.schema));
    assert(validate(json), `${label}: body does not match ${pointer ?? 'the schema'}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 600)}`);
  }
  return { status: response.status, headers: response.headers, json };
}

const stamp = Date.now().toString(36);
const ann = { email: `ann.${stamp}@example.com`, password: 'correct horse battery' };
const bob = { email: `bob.${stamp}@example.com`, password: 'battery staple horse' };
const state = {};

await check('health and keys', async () => {
  await call('checkLive', { expect: 200 });
  await call('checkReady', { expect: 200 });
  await call('getJwks', { expect: 200 });
});

await check('superuser sign-in', async () => {
  const session = await call('superuserLogin', { body: { email: process.env.SHARPBASE_ROOT_EMAIL, password: process.env.SHARPBASE_ROOT_PASSWORD }, expect: 200 });
  state.root = session.json.access_token;
  await call('superuserLogin', { body: { email: process.env.SHARPBASE_ROOT_EMAIL, password: 'wrong password!' }, expect: 401 });
});

await check('registration and verification', async () => {
  await call('register', { body: { ...ann, name: 'Ann' }, expect: 202 });
  await call('register', { body: { ...bob }, expect: 202 });
  await call('register', { body: { email: 'not an address', password: 'short' }, expect: 422 });
  await call('register', { raw: 'email=a', contentType: 'text/plain', expect: 415 });
  await call('register', { raw: '{"email": ', expect: 400 });
  await call('verifyEmail', { body: { token: await tokenFromOutbox(ann.email, '/auth/verify') }, expect: 204 });
  await call('verifyEmail', { body: { token: 'not-a-token' }, expect: 422 });
  await call('requestVerification', { body: { email: bob.email }, expect: 202 });
  await call('requestVerification', { body: { mail: bob.email }, expect: 422 });
});

await check('sign-in, me, refresh', async () => {
  const session = await call('login', { body: ann, expect: 200 });
  state.ann = session.json.access_token;
  state.annId = session.json.user.id;
  state.bob = (await call('login', { body: bob, expect: 200 })).json.access_token;
  await call('login', { body: { ...ann, password: 'wrong password!' }, expect: 401 });
  await call('login', { body: { email: ann.email }, expect: 422 });
  await call('getMe', { token: state.ann, expect: 200 });
  await call('getMe', { token: state.root, expect: 200 });
  await call('getMe', { token: 'not.a.jwt', expect: 401 });
  const rotated = await call('refresh', { body: { refresh_token: session.json.refresh_token }, expect: 200 });
  state.annRefresh = rotated.json.refresh_token;
  await call('refresh', { body: { refresh_token: session.json.refresh_token }, expect: 401 });
  // Reusing a refresh token revoked the whole session (theft detection): sign in again.
  state.ann = (await call('login', { body: ann, expect: 200 })).json.access_token;
});

await check('sign-in throttle answers 429 with Retry-After', async () => {
  const victim = { email: `throttled.${stamp}@example.com`, password: 'nobody knows this' };
  let last;
  for (let i = 0; i < 8 && last?.status !== 429; i++) {
    last = await call('login', { body: victim });
  }
  assert(last.status === 429, `expected 429 after repeated failures, got ${last.status}`);
});

await check('tags: superusers write, anyone reads', async () => {
  await call('createTag', { token: state.ann, body: { name: 'dotnet' }, expect: 403 });
  const tag = await call('createTag', { token: state.root, body: { name: `dotnet-${stamp}` }, expect: 201 });
  state.tag = tag.json.id;
  assert(tag.headers.get('location') === `/api/tags/${state.tag}`, 'Location names the new record');
  await call('createTag', { token: state.root, body: { name: `dotnet-${stamp}` }, expect: 409 });
  await call('createTag', { token: state.root, body: { name: 42 }, expect: 422 });
  const list = await call('listTags', { query: { count: 'true', sort: '-created_at' }, expect: 200 });
  await call('listTags', { query: { count: 'true', sort: '-created_at' }, headers: { 'If-None-Match': list.headers.get('etag') }, expect: 304 });
  await call('listTags', { query: { sortby: 'name' }, expect: 400 });
  const one = await call('getTag', { params: { id: state.tag }, expect: 200 });
  await call('getTag', { params: { id: state.tag }, headers: { 'If-None-Match': one.headers.get('etag') }, expect: 304 });
  await call('getTag', { params: { id: '0190a5b2-7c3e-7def-8a12-3b4c5d6e7f80' }, expect: 404 });
  await call('updateTag', { token: state.root, params: { id: state.tag }, body: { name: `net-${stamp}` }, headers: { 'If-Match': one.headers.get('etag') }, expect: 200 });
  await call('updateTag', { token: state.root, params: { id: state.tag }, body: { name: `x-${stamp}` }, headers: { 'If-Match': one.headers.get('etag') }, expect: 412 });
  await call('updateTag', { token: state.ann, params: { id: state.tag }, body: { name: 'mine' }, expect: 403 });
  await call('deleteTag', { token: state.ann, params: { id: state.tag }, expect: 403 });
});

await check('posts: create, idempotency, list, expand, update, delete', async () => {
  await call('createPost', { body: { title: 'anonymous' }, expect: 403 });
  const created = await call('createPost', { token: state.ann, body: { title: 'Hello', status: 'published', tags: [state.tag], meta: { a: 1 } }, expect: 201 });
  state.post = created.json.id;
  await call('createPost', { token: state.ann, body: { title: '', views: -1, nope: true }, expect: 422 });
  await call('createPost', { token: state.ann, raw: JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }), expect: 413 });
  const once = await call('createPost', { token: state.ann, body: { title: 'Once' }, headers: { 'Idempotency-Key': `k-${stamp}` }, expect: 201 });
  const replay = await call('createPost', { token: state.ann, body: { title: 'Once' }, headers: { 'Idempotency-Key': `k-${stamp}` }, expect: 201 });
  assert(replay.headers.get('idempotent-replayed') === 'true' && replay.json.id === once.json.id, 'the retry replays the first answer');
  await call('createPost', { token: state.ann, body: { title: 'Twice' }, headers: { 'Idempotency-Key': `k-${stamp}` }, expect: 422 });
  const page = await call('listPosts', { token: state.ann, query: { filter: 'status = "published"', expand: 'author,tags', limit: '1', sort: '-created_at' }, expect: 200 });
  assert(page.json.items[0].expand.author.id === state.annId, 'author is expanded');
  await call('listPosts', { token: state.ann, query: { fields: 'id,title', limit: '5' }, sparse: true, expect: 200 });
  const first = await call('listPosts', { token: state.ann, query: { limit: '1', sort: '-created_at' }, expect: 200 });
  assert(first.json.next_cursor, 'a first page of one has a cursor');
  await call('listPosts', { token: state.ann, query: { limit: '1', sort: '-created_at', after: first.json.next_cursor }, expect: 200 });
  await call('listPosts', { query: { filter: 'auhtor = "x"' }, expect: 400 });
  const post = await call('getPost', { token: state.ann, params: { id: state.post }, query: { expand: 'tags' }, expect: 200 });
  await call('getPost', { token: state.ann, params: { id: state.post }, query: { fields: 'title' }, sparse: true, expect: 200 });
  await call('getPost', { token: state.bob, params: { id: once.json.id }, expect: 404 });
  const etag = post.headers.get('etag');
  await call('updatePost', { token: state.ann, params: { id: state.post }, body: { title: 'Hello again', meta: { b: 2 } }, headers: { 'If-Match': etag }, expect: 200 });
  await call('updatePost', { token: state.ann, params: { id: state.post }, body: { title: 'Stale' }, headers: { 'If-Match': etag }, expect: 412 });
  await call('updatePost', { token: state.ann, params: { id: state.post }, raw: '{"title": "merge"}', contentType: 'application/merge-patch+json', expect: 200 });
  await call('updatePost', { token: state.ann, params: { id: state.post }, body: { title: null }, expect: 422 });
  await call('updatePost', { token: state.bob, params: { id: state.post }, body: { title: 'not mine' }, expect: 403 });
  await call('updatePost', { token: state.bob, params: { id: once.json.id }, body: { title: 'not visible' }, expect: 404 });
  await call('deletePost', { token: state.ann, params: { id: state.post }, headers: { 'If-Match': etag }, expect: 412 });
  await call('deletePost', { token: state.ann, params: { id: state.post }, expect: 204 });
  await call('deletePost', { token: state.ann, params: { id: state.post }, expect: 404 });
});

await check('users: own account only', async () => {
  await call('listUsers', { token: state.ann, expect: 200 });
  await call('getUser', { token: state.ann, params: { id: state.annId }, expect: 200 });
  await call('updateUser', { token: state.ann, params: { id: state.annId }, body: { name: 'Ann B.' }, expect: 200 });
  await call('updateUser', { token: state.ann, params: { id: state.annId }, body: { email: 'x@example.com' }, expect: 422 });
  await call('createUser', { token: state.ann, body: { email: 'c@example.com' }, expect: 403 });
  await call('deleteUser', { token: state.ann, params: { id: state.annId }, expect: 403 });
});

await check('batch: all or nothing', async () => {
  const ok = await call('batch', { token: state.root, body: { requests: [{ method: 'POST', url: '/api/tags', body: { name: `b-${stamp}` } }] }, expect: 200 });
  await call('batch', {
    token: state.root,
    body: { requests: [{ method: 'DELETE', url: `/api/tags/${ok.json.results[0].body.id}` }, { method: 'POST', url: '/api/tags', body: {} }] },
    expect: 422,
  });
  await call('batch', { token: state.root, body: { requests: [] }, expect: 400 });
});

await check('API keys', async () => {
  const key = await call('createApiKey', { token: state.ann, body: { name: 'script' }, expect: 201 });
  await call('listApiKeys', { token: state.ann, expect: 200 });
  await call('getMe', { token: key.json.key, expect: 200 });
  await call('createApiKey', { token: key.json.key, body: { name: 'more' }, expect: 403 });
  await call('createApiKey', { token: state.ann, body: { name: '' }, expect: 422 });
  await call('revokeApiKey', { token: state.ann, params: { id: key.json.id }, expect: 204 });
  await call('revokeApiKey', { token: state.ann, params: { id: key.json.id }, expect: 404 });
  await call('listApiKeys', { expect: 401 });
});

await check('TOTP second factor', async () => {
  const setup = await call('setupTotp', { token: state.bob, expect: 200 });
  await call('enableTotp', { token: state.bob, body: { code: '000000' === totp(setup.json.secret) ? '111111' : '000000' }, expect: 422 });
  const enabled = await call('enableTotp', { token: state.bob, body: { code: totp(setup.json.secret) }, expect: 200 });
  await call('setupTotp', { token: state.bob, expect: 409 });
  const challenge = await call('login', { body: bob, expect: 200 });
  assert(challenge.json.mfa_required === true, 'login asks for the second factor');
  await call('loginTotp', { body: { mfa_token: challenge.json.mfa_token, recovery_code: 'AAAA-BBBB-CCCC' }, expect: 401 });
  const session = await call('loginTotp', { body: { mfa_token: challenge.json.mfa_token, recovery_code: enabled.json.recovery_codes[0] }, expect: 200 });
  state.bob = session.json.access_token;
  await call('loginTotp', { body: { mfa_token: challenge.json.mfa_token }, expect: 422 });
  await call('disableTotp', { token: state.bob, body: { password: 'wrong password!' }, expect: 422 });
  await call('disableTotp', { token: state.bob, body: { password: bob.password }, expect: 204 });
  await call('disableTotp', { token: state.bob, body: { password: bob.password }, expect: 409 });
});

await check('passwords: change, forgot, reset', async () => {
  const changed = await call('changePassword', { token: state.bob, body: { current_password: bob.password, new_password: 'a brand new password' }, expect: 200 });
  state.bob = changed.json.access_token;
  await call('changePassword', { token: state.bob, body: { current_password: 'wrong password!', new_password: 'another new password' }, expect: 422 });
  await call('forgotPassword', { body: { email: bob.email }, expect: 202 });
  const token = await tokenFromOutbox(bob.email, '/auth/password/reset');
  await call('resetPassword', { body: { token, password: 'reset to this one' }, expect: 204 });
  await call('resetPassword', { body: { token, password: 'reset to this one' }, expect: 422 });
  await call('login', { body: { email: bob.email, password: 'reset to this one' }, expect: 200 });
});

await check('logout ends the session at once', async () => {
  await call('logout', { token: state.ann, expect: 204 });
  await call('getMe', { token: state.ann, expect: 401 });
  await call('logout', { expect: 401 });
});

await check('every documented operation was called', async () => {
  const missing = [...operations.keys()].filter((id) => !called.has(id));
  assert(missing.length === 0, `not called: ${missing.join(', ')}`);
});

finish('contract');
