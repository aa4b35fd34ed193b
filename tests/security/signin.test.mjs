// Classes: lock-out bypass by parallel guesses (item 3), sign-in floods (7), password change and sessions (11),
// username discovery (16), the Secure cookie behind a TLS proxy (18).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, PASSWORD, httpRequest, show, startServer } from '../api/harness.mjs';

let server; // rate limits off: this file tests the lock-out itself
let limited; // the default per-name limit, 20 a minute per client address
before(async () => {
  server = await startServer({ extraArgs: ['--login-rate-client', '0', '--login-rate-user', '0', '--trusted-proxies', '127.0.0.9'] });
  limited = await startServer({ extraArgs: ['--trusted-proxies', '127.0.0.1', '--login-rate-client', '20'] });
});
after(async () => { await server?.stop(); await limited?.stop(); });

const login = (url, username, password, headers = {}) =>
  httpRequest(url + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ username, password }),
  });

test('60 parallel wrong passwords: exactly 5 are checked, the rest meet the lock, and it holds', async () => {
  const all = await Promise.all(Array.from({ length: 60 }, (_, i) => login(server.url, 'inspector', 'Wrong#pass' + i)));
  const by = {};
  for (const r of all) by[r.status] = (by[r.status] || 0) + 1;
  assert.equal(by[401], 5, JSON.stringify(by));
  assert.equal(by[423], 55, JSON.stringify(by));
  const right = await login(server.url, 'inspector', PASSWORD);
  assert.equal(right.status, 423, 'the right password waits out the lock');
  const late = await Promise.all(Array.from({ length: 10 }, () => login(server.url, 'inspector', 'nope')));
  assert.ok(late.every((r) => r.status === 423));
});

test('a locked account and an unknown name answer alike', async () => {
  const seq = async (name) => {
    const out = [];
    for (let i = 0; i < 6; i++) {
      const r = await login(server.url, name, 'Wrong#pass');
      out.push([r.status, r.body?.error?.code]);
    }
    return out;
  };
  const known = await seq('viewer');
  const unknown = await seq('no-such-user-42');
  assert.deepEqual(known, unknown);
  assert.deepEqual(known.at(-1), [423, 'account_locked']);
  const empty = await login(server.url, 'no-such-user-43', '');
  assert.equal(empty.status, 422);
});

test('sign-ins are rate-limited per username, with Retry-After', async () => {
  const rs = [];
  for (let i = 0; i < 14; i++) rs.push(await login(limited.url, 'leader', 'Wrong#pass'));
  const tooMany = rs.filter((r) => r.status === 429);
  assert.ok(tooMany.length >= 3, rs.map((r) => r.status).join(','));
  assert.equal(tooMany[0].body.error.code, 'too_many_requests');
  assert.ok(Number(tooMany[0].headers['retry-after']) >= 1);
  assert.ok(rs.filter((r) => r.status === 401).length <= 5);
});

test('sign-ins are rate-limited per client address, and X-Forwarded-For counts only from a trusted proxy', async () => {
  // limited trusts 127.0.0.1 as a proxy: each forwarded address is its own client.
  const names = Array.from({ length: 30 }, (_, i) => 'flood-' + i);
  const fromOne = [];
  for (const n of names) fromOne.push((await login(limited.url, n, 'x', { 'X-Forwarded-For': '203.0.113.7' })).status);
  assert.ok(fromOne.filter((s) => s === 429).length >= 5, 'one address is limited');
  const other = await login(limited.url, 'flood-x', 'x', { 'X-Forwarded-For': '203.0.113.8' });
  assert.equal(other.status, 401, 'another address is not');
  // server trusts only 127.0.0.9: a spoofed header from 127.0.0.1 is ignored, the peer address counts.
  const c = new Client(server.url);
  const res = await c.login('admin', PASSWORD);
  assert.equal(res.status, 200);
  const audit = await c.get('/audit?entity=user&page_size=5');
  assert.equal(audit.status, 200, show(audit));
});

test('changing the password ends every other session; wrong old passwords count towards the lock', async () => {
  const a = new Client(server.url);
  const b = new Client(server.url);
  assert.equal((await a.login('unit2', PASSWORD)).status, 200);
  assert.equal((await b.login('unit2', PASSWORD)).status, 200);
  for (let i = 0; i < 4; i++) {
    const r = await a.post('/auth/password', { old_password: 'Guess#' + i, new_password: 'Better#2027x' });
    assert.equal(r.status, 422, show(r));
  }
  const ok = await a.post('/auth/password', { old_password: PASSWORD, new_password: 'Better#2027x' });
  assert.equal(ok.status, 204, show(ok));
  assert.equal((await a.get('/auth/me')).status, 200, 'the changing session stays');
  assert.equal((await b.get('/auth/me')).status, 401, 'the other session is ended');
  // The success reset the count: five fresh wrong guesses lock the account.
  for (let i = 0; i < 5; i++) await a.post('/auth/password', { old_password: 'Guess#' + i, new_password: 'Better#2028x' });
  const locked = await a.post('/auth/password', { old_password: 'Better#2027x', new_password: 'Better#2028x' });
  assert.equal(locked.status, 423, show(locked));
  assert.equal((await login(server.url, 'unit2', 'Better#2027x')).status, 423);
});

test('the session cookie is Secure when a trusted proxy says the client used TLS, and only then', async () => {
  const cookieOf = (r) => [].concat(r.headers['set-cookie'] || []).find((l) => l.startsWith('steward_session='));
  const viaProxy = await login(limited.url, 'hq', PASSWORD, { 'X-Forwarded-Proto': 'https' });
  assert.equal(viaProxy.status, 200, show(viaProxy));
  assert.match(cookieOf(viaProxy), /;\s*Secure/);
  const plain = await login(limited.url, 'hq', PASSWORD);
  assert.doesNotMatch(cookieOf(plain), /Secure/);
  const untrusted = await login(server.url, 'hq', PASSWORD, { 'X-Forwarded-Proto': 'https' });
  assert.equal(untrusted.status, 200);
  assert.doesNotMatch(cookieOf(untrusted), /Secure/, 'an untrusted peer cannot claim TLS');
});
