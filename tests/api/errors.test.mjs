// Input validation and the error envelope (issue "foundation").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, httpRequest, show, signedIn, startServer } from './harness.mjs';

let server;
let hq;
let admin;
before(async () => {
  server = await startServer();
  hq = await signedIn(server.url, 'hq');
  admin = await signedIn(server.url, 'admin');
});
after(async () => { await server?.stop(); });

function assertError(res, status, code) {
  assert.equal(res.status, status, show(res));
  assert.match(res.headers['content-type'] || '', /^application\/json/, 'errors are JSON');
  assert.equal(res.body?.error?.code, code, show(res));
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0);
}

test('malformed JSON is 400 bad_request and creates nothing', async () => {
  const before = (await hq.get('/org-units')).body.items.length;
  assertError(await hq.post('/org-units', '{"name": "县坏JSON局", "kind": '), 400, 'bad_request');
  assertError(await hq.post('/org-units', 'not json at all'), 400, 'bad_request');
  assertError(await new Client(server.url).post('/auth/login', '{"username":'), 400, 'bad_request');
  assert.equal((await hq.get('/org-units')).body.items.length, before);
});

test('a JSON value of the wrong type is 400 bad_request', async () => {
  assertError(await hq.post('/org-units', '[1,2,3]'), 400, 'bad_request');
  assertError(await hq.post('/org-units', { name: 12345, kind: 'department' }), 400, 'bad_request');
});

test('a missing required field is 422 validation_failed naming the field', async () => {
  const r = await hq.post('/org-units', { short_name: '缺名', kind: 'department' });
  assertError(r, 422, 'validation_failed');
  assert.ok(r.body.error.fields.some((f) => f.field === 'name' && typeof f.reason === 'string'), show(r));
  const u = await admin.post('/users', { display_name: '无名', password: 'NoName#2026x', roles: ['viewer'] });
  assertError(u, 422, 'validation_failed');
  assert.ok(u.body.error.fields.some((f) => f.field === 'username'), show(u));
});

test('an unknown enumeration value is 422 naming the field', async () => {
  const r = await hq.post('/org-units', { name: '县枚举测试局', kind: 'ministry' });
  assertError(r, 422, 'validation_failed');
  assert.ok(r.body.error.fields.some((f) => f.field === 'kind'), show(r));
  const u = await admin.post('/users', { username: 'badrole', display_name: '坏角色', password: 'BadRole#2026x', roles: ['emperor'] });
  assertError(u, 422, 'validation_failed');
  assert.ok(u.body.error.fields.some((f) => f.field === 'roles'), show(u));
});

test('a duplicate org unit name is 409 conflict; a duplicate username is 409', async () => {
  const r = await hq.post('/org-units', { name: '县交通运输局', kind: 'department' });
  assertError(r, 409, 'conflict');
  const u = await admin.post('/users', { username: 'unit', display_name: '重名', password: 'Dup#User2026', roles: ['viewer'] });
  assertError(u, 409, 'conflict');
});

test('creating a user works for admin and the user can sign in', async () => {
  const units = (await hq.get('/org-units?kind=department')).body.items;
  const r = await admin.post('/users', { username: 'newbie', display_name: '新人', password: 'Newbie#2026', org_unit_id: units[0].id, rank: 'staff', roles: ['unit'], phone: '13900000000' });
  assert.equal(r.status, 201, show(r));
  assert.deepEqual({ u: r.body.username, roles: r.body.roles, unit: r.body.org_unit_id, region: r.body.region_code },
    { u: 'newbie', roles: ['unit'], unit: units[0].id, region: '430424' });
  assert.equal(r.body.org_unit_name, units[0].name);
  assert.equal((await new Client(server.url).login('newbie', 'Newbie#2026')).status, 200);
  const weak = await admin.post('/users', { username: 'weakling', display_name: '弱', password: 'weak', roles: ['viewer'] });
  assertError(weak, 422, 'validation_failed');
  assert.ok(weak.body.error.fields.some((f) => f.field === 'password'), show(weak));
});

test('an unknown API route is a 404 JSON error', async () => {
  assertError(await hq.get('/no-such-thing'), 404, 'not_found');
  assertError(await hq.get('/org-units/99999999/nothing'), 404, 'not_found');
  assertError(await hq.patch('/org-units/99999999', { name: '不存在' }), 404, 'not_found');
});

test('a body over the limit is 413 payload_too_large', async () => {
  const big = Buffer.alloc(11 * 1024 * 1024, 0x61);
  const res = await httpRequest(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big, timeout: 60_000,
  });
  assert.equal(res.status, 413, `${res.status} ${res.raw.toString().slice(0, 300)}`);
  const body = JSON.parse(res.raw.toString());
  assert.equal(body.error.code, 'payload_too_large');
  // The server is still alive and serving.
  assert.equal((await new Client(server.url).get('/health')).status, 200);
});

test('list paging is bounded: page_size over 200 is refused or capped', async () => {
  const r = await admin.get('/users?page_size=100000');
  if (r.status === 200) assert.ok(r.body.page_size <= 200 && r.body.items.length <= 200, show(r));
  else assertError(r, 422, 'validation_failed');
  const bad = await admin.get('/users?page=0');
  assert.ok(bad.status === 422 || (bad.status === 200 && bad.body.page === 1), show(bad));
});

test('anonymous requests to protected resources are 401', async () => {
  const anon = new Client(server.url);
  for (const p of ['/org-units', '/users', '/audit', '/regions', '/people', '/meta']) {
    assertError(await anon.get(p), 401, 'unauthenticated');
  }
});
