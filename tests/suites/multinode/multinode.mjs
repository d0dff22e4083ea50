// The multi-node suite: three `sharpbase serve` processes on one database, sharing a redis-server,
// behind nginx; each test is a behaviour a cluster must keep, faults included.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const results = process.env.SHARPBASE_TEST_RESULTS;
// The command that starts a node (tests/suites/lib/sharpbase.sh chose it), one argument a line.
const server = process.env.SHARPBASE_SERVER.split('\n').filter(Boolean);
const nginxPath = process.env.SHARPBASE_NGINX;
const root = mkdtempSync(join(tmpdir(), 'sharpbase-multinode-'));
const children = new Set();
const sleep = ms => new Promise(r => setTimeout(r, ms));

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

function start(command, args, env, name) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.log = '';
  child.stdout.on('data', d => { child.log += d; });
  child.stderr.on('data', d => { child.log += d; });
  child.name = name;
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function request(base, method, path, { body, token, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (token) h.authorization = 'Bearer ' + token;
  const response = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10000) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: response.status, headers: response.headers, text, json };
}

async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try { last = await check(); if (last === true) return; } catch (e) { last = e.message; }
    await sleep(100);
  }
  throw new Error(`${what}: never happened (last: ${JSON.stringify(last)})`);
}

function assert(condition, message) { if (!condition) throw new Error(message); }

// --- the cluster --------------------------------------------------------------------------------

const redisPort = await freePort();
let redis;
async function startRedis() {
  redis = start('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, 'redis');
  await waitFor('redis-server listening', () => listening(redisPort));
}
function listening(port) {
  return new Promise(ok => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => { socket.destroy(); ok(true); });
    socket.on('error', () => ok(false));
  });
}
async function stopRedis() {
  const exited = new Promise(ok => redis.on('exit', ok));
  redis.kill('SIGKILL');
  await exited;
}

const jwk = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'cluster-1', alg: 'ES256', use: 'sig' };
const schemaPath = join(root, 'sharpbase.yaml');
writeFileSync(schemaPath, `collections:
  users:
    auth: true
  news:
    rules: { list: "true", view: "true", create: "true", update: "true" }
    cache: { ttl: 5m }
    fields:
      title: { type: text }
  limited:
    rules: { list: "true" }
    fields:
      title: { type: text }
settings:
  auth: { FailuresBeforeDelay: 6, FailuresBeforeLock: 6, Password: { MemoryKiB: 64, Iterations: 1 } }
  trusted_proxies: ["127.0.0.1"]
  rate_limits:
    - { name: everything, routes: ["/*"], per: ip, limit: 100000, window: 1m }
    - { name: limited, routes: ["GET /api/limited"], per: ip, limit: 6, window: 1m }
`);
const dataDir = join(root, 'sb_data');
const nodes = [];
for (let i = 0; i < 3; i++) nodes.push({ name: `node${i + 1}`, port: await freePort() });

async function startNode(node) {
  node.process = start(server[0], [...server.slice(1), 'serve', '--schema', schemaPath, '--data', dataDir, '--http', `127.0.0.1:${node.port}`], {
    SHARPBASE__REDIS: `127.0.0.1:${redisPort}`,
    SHARPBASE__AUTH__JWT__KEYS__0: JSON.stringify(jwk),
    // A PostgreSQL database of this suite's own when test.sh started PostgreSQL; else one SQLite file.
    ...(process.env.SHARPBASE_MULTINODE_DATABASE ? { SHARPBASE__DATABASE: process.env.SHARPBASE_MULTINODE_DATABASE } : {}),
  }, node.name);
  node.base = `http://127.0.0.1:${node.port}`;
  await waitFor(`${node.name} ready with redis ok`, async () => {
    if (node.process.exitCode !== null) throw new Error(`${node.name} exited: ${node.process.log.slice(-600)}`);
    const ready = await request(node.base, 'GET', '/health/ready');
    return ready.status === 200 && ready.json?.redis === 'ok';
  }, 60000);
}

const nginxPort = await freePort();
const balancer = `http://127.0.0.1:${nginxPort}`;
writeFileSync(join(root, 'nginx.conf'), `worker_processes 1;
pid ${root}/nginx.pid;
error_log ${root}/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${root}/nginx-body;
  proxy_temp_path ${root}/nginx-proxy;
  fastcgi_temp_path ${root}/nginx-fastcgi;
  uwsgi_temp_path ${root}/nginx-uwsgi;
  scgi_temp_path ${root}/nginx-scgi;
  upstream sharpbase {
${nodes.map(n => `    server 127.0.0.1:${n.port} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${nginxPort};
    location / {
      proxy_pass http://sharpbase;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 1s;
    }
  }
}
`);

// --- the tests ----------------------------------------------------------------------------------

const email = () => `user-${randomUUID()}@example.com`;
async function signIn(base, address) {
  const login = await request(base, 'POST', '/auth/login', { body: { email: address, password: 'correct horse battery' } });
  assert(login.status === 200, `login: ${login.status} ${login.text}`);
  return login.json;
}
async function registerAndSignIn(base) {
  const address = email();
  const registered = await request(base, 'POST', '/auth/register', { body: { email: address, password: 'correct horse battery' } });
  assert(registered.status === 202, `register: ${registered.status} ${registered.text}`);
  return { address, ...(await signIn(base, address)) };
}
async function newsCount(base) {
  const list = await request(base, 'GET', '/api/news?limit=200');
  assert(list.status === 200, `list: ${list.status} ${list.text}`);
  return list.json.items.length;
}

const tests = [
  ['a token issued by node 1 is accepted by node 3', async () => {
    const session = await registerAndSignIn(nodes[0].base);
    const me = await request(nodes[2].base, 'GET', '/auth/me', { token: session.access_token });
    assert(me.status === 200 && me.json.user.id === session.user.id, `me on node3: ${me.status} ${me.text}`);
    const jwks = await Promise.all(nodes.map(n => request(n.base, 'GET', '/.well-known/jwks.json')));
    assert(jwks.every(j => j.text === jwks[0].text && j.text.includes('cluster-1')), 'every node publishes the configured key');
  }],
  ['a rate limit holds across nodes', async () => {
    for (let i = 0; i < 6; i++) {
      const r = await request(nodes[i % 3].base, 'GET', '/api/limited');
      assert(r.status === 200, `request ${i + 1} on ${nodes[i % 3].name}: ${r.status}`);
    }
    for (const node of nodes) {
      const r = await request(node.base, 'GET', '/api/limited');
      assert(r.status === 429 && r.headers.get('retry-after'), `7th request on ${node.name}: ${r.status}`);
    }
  }],
  ['a write through node 2 is never served stale from node 1\'s cache', async () => {
    for (let i = 0; i < 30; i++) {
      const before = await newsCount(nodes[0].base);
      const created = await request(nodes[1].base, 'POST', '/api/news', { body: { title: `stale check ${i}` } });
      assert(created.status === 201, `create: ${created.status} ${created.text}`);
      const after = await newsCount(nodes[0].base);
      assert(after === before + 1, `round ${i}: node1 served ${after} items after a write on node2, expected ${before + 1}`);
    }
  }],
  ['a session revoked on one node fails on all at once', async () => {
    const session = await registerAndSignIn(balancer);
    for (const node of nodes) {
      const me = await request(node.base, 'GET', '/auth/me', { token: session.access_token });
      assert(me.status === 200, `${node.name} before logout: ${me.status}`);
    }
    const logout = await request(nodes[1].base, 'POST', '/auth/logout', { token: session.access_token });
    assert(logout.status === 204, `logout: ${logout.status} ${logout.text}`);
    const after = await Promise.all(nodes.map(n => request(n.base, 'GET', '/auth/me', { token: session.access_token })));
    after.forEach((me, i) => assert(me.status === 401, `${nodes[i].name} after logout: ${me.status}`));
  }],
  ['failed sign-ins on different nodes count together: the account locks on every node', async () => {
    const address = email();
    const registered = await request(nodes[0].base, 'POST', '/auth/register', { body: { email: address, password: 'correct horse battery' } });
    assert(registered.status === 202, `register: ${registered.status} ${registered.text}`);
    // Two failures per node, under each node's lock at six; six together.
    for (let i = 0; i < 6; i++) {
      const wrong = await request(nodes[i % 3].base, 'POST', '/auth/login', { body: { email: address, password: 'wrong password' } });
      assert(wrong.status === 401, `failure ${i + 1} on ${nodes[i % 3].name}: ${wrong.status} ${wrong.text}`);
    }
    for (const node of nodes) {
      const right = await request(node.base, 'POST', '/auth/login', { body: { email: address, password: 'correct horse battery' } });
      assert(right.status === 429 && right.headers.get('retry-after'), `the right password on ${node.name} after six failures over three nodes: ${right.status}`);
    }
  }],
  ['Redis stopped: requests keep succeeding with local limits, readiness degraded, recovery when it returns', async () => {
    const session = await registerAndSignIn(balancer);
    await stopRedis();
    for (const node of nodes) {
      await waitFor(`${node.name} readiness degraded`, async () => (await request(node.base, 'GET', '/health/ready')).json?.redis === 'degraded');
    }
    for (let i = 0; i < 12; i++) {
      const list = await request(balancer, 'GET', '/api/news');
      assert(list.status === 200, `list through the balancer: ${list.status}`);
      const created = await request(balancer, 'POST', '/api/news', { body: { title: `during outage ${i}` } });
      assert(created.status === 201, `create through the balancer: ${created.status} ${created.text}`);
    }
    const before = await newsCount(nodes[0].base);
    assert((await request(nodes[1].base, 'POST', '/api/news', { body: { title: 'outage write' } })).status === 201, 'write on node2');
    assert(await newsCount(nodes[0].base) === before + 1, 'node1 saw the write on node2 during the outage');
    // Limits are per node now: node 1 allows its own 6 (the shared count of the earlier test is in the stopped Redis).
    for (let i = 0; i < 6; i++) {
      const r = await request(nodes[0].base, 'GET', '/api/limited');
      assert(r.status === 200, `local limit request ${i + 1}: ${r.status}`);
    }
    assert((await request(nodes[0].base, 'GET', '/api/limited')).status === 429, 'the local limit holds');
    const logout = await request(nodes[2].base, 'POST', '/auth/logout', { token: session.access_token });
    assert(logout.status === 204, `logout during outage: ${logout.status}`);
    assert((await request(nodes[0].base, 'GET', '/auth/me', { token: session.access_token })).status === 401, 'revoked during the outage, refused elsewhere');

    await startRedis();
    for (const node of nodes) {
      await waitFor(`${node.name} readiness ok`, async () => (await request(node.base, 'GET', '/health/ready')).json?.redis === 'ok');
      await waitFor(`${node.name} lists validated again`, async () => (await request(node.base, 'GET', '/api/news')).headers.get('etag') !== null);
    }
    const again = await registerAndSignIn(balancer);
    assert((await request(nodes[0].base, 'GET', '/auth/me', { token: again.access_token })).status === 200, 'signed in after recovery');
    assert((await request(nodes[1].base, 'POST', '/auth/logout', { token: again.access_token })).status === 204, 'logout after recovery');
    assert((await request(nodes[2].base, 'GET', '/auth/me', { token: again.access_token })).status === 401, 'revocation shared again');
  }],
  ['kill -9 one node during a write load: every acknowledged write is present, the others keep serving', async () => {
    const acknowledged = [];
    let refused = 0;
    let stop = false;
    const writer = async w => {
      for (let i = 0; !stop; i++) {
        try {
          const created = await request(balancer, 'POST', '/api/news', { body: { title: `load ${w}-${i}` } });
          if (created.status === 201) acknowledged.push(created.json.id); else refused++;
        } catch { refused++; }
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    await sleep(1500);
    const victim = nodes[1];
    victim.process.kill('SIGKILL');
    await sleep(2500);
    stop = true;
    await Promise.all(writers);
    assert(acknowledged.length > 20, `too few writes acknowledged: ${acknowledged.length}`);
    const missing = [];
    for (const id of acknowledged) {
      const read = await request(balancer, 'GET', '/api/news/' + id);
      if (read.status !== 200) missing.push(`${id}: ${read.status}`);
    }
    assert(missing.length === 0, `acknowledged writes missing: ${missing.slice(0, 5).join(', ')}`);
    for (let i = 0; i < 20; i++) {
      const list = await request(balancer, 'GET', '/api/news');
      assert(list.status === 200, `through the balancer after the kill: ${list.status}`);
    }
    console.log(`    ${acknowledged.length} writes acknowledged (${refused} refused around the kill), all present`);
    await startNode(victim);
  }],
  ...(process.env.SHARPBASE_MULTINODE_DATABASE ? [['restart PostgreSQL under load: 503 with Retry-After during the outage, every acknowledged write present, recovery without restarting a node', async () => {
    const pgCtl = (...args) => {
      const bin = join(process.env.SHARPBASE_TEST_POSTGRES_BIN, 'pg_ctl');
      const user = process.env.SHARPBASE_TEST_POSTGRES_USER;
      const command = user ? ['runuser', ['-u', user, '--', bin, '-D', process.env.SHARPBASE_TEST_POSTGRES_DATA, ...args]]
        : [bin, ['-D', process.env.SHARPBASE_TEST_POSTGRES_DATA, ...args]];
      // The server started by `start` must not inherit a pipe of ours, or spawnSync waits for it forever.
      const result = spawnSync(command[0], command[1], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
      assert(result.status === 0, `pg_ctl ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    };
    const acknowledged = [];
    const outage = [];
    let stop = false;
    const writer = async w => {
      for (let i = 0; !stop; i++) {
        try {
          const created = await request(balancer, 'POST', '/api/news', { body: { title: `pg ${w}-${i}` } });
          if (created.status === 201) acknowledged.push(created.json.id);
          else outage.push({ status: created.status, retryAfter: created.headers.get('retry-after') });
        } catch { outage.push({ status: 0 }); }
        await sleep(20);
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    await sleep(1000);
    pgCtl('-m', 'fast', '-w', 'stop');
    await sleep(2000);
    const down = await request(balancer, 'POST', '/api/news', { body: { title: 'while down' } });
    pgCtl('-l', join(process.env.SHARPBASE_TEST_POSTGRES_DATA, '..', 'postgres.log'), '-w', '-t', '60', 'start');
    await sleep(2500);
    stop = true;
    await Promise.all(writers);
    assert(down.status === 503, `a write while PostgreSQL was down answered ${down.status}`);
    assert(outage.length > 0 && outage.every(o => o.status === 503 && Number(o.retryAfter) > 0), `answers during the outage: ${[...new Set(outage.map(o => `${o.status} Retry-After ${o.retryAfter}`))].join(', ')}`);
    const missing = [];
    for (const id of acknowledged) {
      const read = await request(balancer, 'GET', '/api/news/' + id);
      if (read.status !== 200) missing.push(`${id}: ${read.status}`);
    }
    assert(missing.length === 0, `acknowledged writes missing: ${missing.slice(0, 5).join(', ')}`);
    for (const node of nodes) {
      await waitFor(`${node.name} ready again`, async () => (await request(node.base, 'GET', '/health/ready')).status === 200, 30000);
      const created = await request(node.base, 'POST', '/api/news', { body: { title: `after restart on ${node.name}` } });
      assert(created.status === 201, `${node.name} after the restart answered ${created.status}`);
    }
    console.log(`    ${acknowledged.length} writes acknowledged, ${outage.length} refused with 503 during the outage, all nodes recovered`);
  }]] : []),
];

let passed = 0;
let failed = 0;
let nginx;
// A signal sent to this process alone (Ctrl-C reaches the whole process group, a kill or a CI
// timeout may not) ends it without running the finally below: the nodes, nginx and redis-server
// would be left running.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.once(signal, () => {
    // nginx's master stops its workers on SIGTERM; SIGKILL would orphan them.
    for (const child of [...children]) child.kill(child.name === 'nginx' ? 'SIGTERM' : 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
    console.log(`multinode: stopped by ${signal}`);
    process.exit(1);
  });
}
try {
  await startRedis();
  // One after the other: the first start migrates the shared database.
  for (const node of nodes) await startNode(node);
  nginx = start(nginxPath, ['-p', root, '-c', join(root, 'nginx.conf'), '-g', 'daemon off;'], {}, 'nginx');
  await waitFor('nginx serving', async () => (await request(balancer, 'GET', '/health/live')).status === 200);
  for (const [name, test] of tests) {
    try {
      await test();
      passed++;
      console.log(`  PASS ${name}`);
    } catch (e) {
      failed++;
      console.log(`  FAIL ${name}: ${e.message}`);
    }
  }
} catch (e) {
  failed++;
  console.log(`  FAIL cluster set-up: ${e.message}`);
  for (const node of nodes) if (node.process) console.log(`--- ${node.name}\n${node.process.log.slice(-1500)}`);
  if (nginx) console.log(`--- nginx\n${nginx.log}`);
} finally {
  // nginx's master is stopped with SIGTERM, which stops its workers too: a SIGKILL would leave
  // them running, orphaned, after the suite.
  if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
    const exited = new Promise(ok => nginx.once('exit', ok));
    nginx.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
  }
  for (const child of [...children]) child.kill('SIGKILL');
  await sleep(300);
  rmSync(root, { recursive: true, force: true });
}
for (const node of nodes) {
  if (node.process && /"LogLevel":"(Error|Critical)"/.test(node.process.log)) {
    failed++;
    console.log(`  FAIL ${node.name} logged errors:\n${node.process.log.split('\n').filter(l => /"LogLevel":"(Error|Critical)"/.test(l)).slice(0, 5).map(l => l.slice(0, 400)).join('\n')}`);
  }
}
writeFileSync(join(results, 'multinode.counts'), `${passed} ${failed}\n`);
console.log(`multinode: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
