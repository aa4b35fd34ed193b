// Every state-changing request except sign-in must carry X-CSRF-Token; without it nothing changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, PASSWORD, show, signedIn, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('POST /auth/password without X-CSRF-Token is 403 csrf_failed and the password is unchanged', async () => {
  const c = await signedIn(server.url, 'viewer');
  const r = await c.post('/auth/password', { old_password: PASSWORD, new_password: 'Other#Pass2026' }, { csrf: false });
  assert.equal(r.status, 403, show(r));
  assert.equal(r.body.error.code, 'csrf_failed');
  assert.equal((await new Client(server.url).login('viewer', PASSWORD)).status, 200);
  assert.equal((await new Client(server.url).login('viewer', 'Other#Pass2026')).status, 401);
});

test('POST /org-units without or with a wrong token is 403 and creates nothing', async () => {
  const hq = await signedIn(server.url, 'hq');
  const before = await hq.get('/org-units');
  assert.equal(before.status, 200, show(before));
  const body = { name: '县CSRF测试局', short_name: 'CSRF', kind: 'department', sort: 999 };
  const none = await hq.post('/org-units', body, { csrf: false });
  assert.equal(none.status, 403, show(none));
  assert.equal(none.body.error.code, 'csrf_failed');
  const wrong = await hq.post('/org-units', body, { headers: { 'X-CSRF-Token': 'not-the-token' } });
  assert.equal(wrong.status, 403, show(wrong));
  assert.equal(wrong.body.error.code, 'csrf_failed');
  const empty = await hq.post('/org-units', body, { headers: { 'X-CSRF-Token': '' } });
  assert.equal(empty.status, 403, show(empty));
  const after = await hq.get('/org-units');
  assert.equal(after.body.items.length, before.body.items.length);
  assert.ok(!after.body.items.some((u) => u.name === body.name));
});

test('a token from another session is not accepted', async () => {
  const hq = await signedIn(server.url, 'hq');
  const other = await signedIn(server.url, 'admin');
  const r = await hq.post('/org-units', { name: '县跨会话测试局', kind: 'department' }, { headers: { 'X-CSRF-Token': other.csrf } });
  assert.equal(r.status, 403, show(r));
  assert.equal(r.body.error.code, 'csrf_failed');
});

test('PATCH /users/{id} with a wrong token is 403 and the user is unchanged', async () => {
  const admin = await signedIn(server.url, 'admin');
  const target = (await signedIn(server.url, 'unit2')).user;
  const r = await admin.patch(`/users/${target.id}`, { display_name: '被篡改' }, { headers: { 'X-CSRF-Token': admin.csrf + 'x' } });
  assert.equal(r.status, 403, show(r));
  assert.equal(r.body.error.code, 'csrf_failed');
  const list = await admin.get(`/users?q=unit2`);
  assert.equal(list.status, 200, show(list));
  const u = list.body.items.find((x) => x.id === target.id);
  assert.ok(u, 'unit2 listed');
  assert.equal(u.display_name, target.display_name);
  // With the right token the same request works (the 403 was about the token).
  const ok = await admin.patch(`/users/${target.id}`, { display_name: target.display_name + '（测）' });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.display_name, target.display_name + '（测）');
});

test('sign-in itself needs no token', async () => {
  const r = await new Client(server.url).post('/auth/login', { username: 'leader', password: PASSWORD }, { csrf: false });
  assert.equal(r.status, 200, show(r));
});
