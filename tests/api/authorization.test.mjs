// Who may do what, and who sees which region's rows (issue "foundation").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, addOtherCounty, runSteward, show, signedIn, startServer } from './harness.mjs';

let server;
let other;
const as = {};
let units;
before(async () => {
  server = await startServer();
  other = addOtherCounty(server.dbUrl);
  for (const u of ['admin', 'hq', 'unit', 'unit2', 'viewer', 'city', 'leader']) as[u] = await signedIn(server.url, u);
  as.qd = await signedIn(server.url, other.username, other.password);
  const r = await as.hq.get('/org-units');
  assert.equal(r.status, 200, show(r));
  units = r.body.items;
});
after(async () => { await server?.stop(); });

const byName = (name) => {
  const u = units.find((x) => x.name === name);
  assert.ok(u, `org unit ${name} in demo data`);
  return u;
};

test('demo users sit where the brief says', () => {
  assert.deepEqual(as.unit.user.roles, ['unit']);
  assert.equal(as.unit.user.org_unit_name, '县工业和信息化局');
  assert.equal(as.unit2.user.org_unit_name, '县交通运输局');
  assert.equal(as.leader.user.rank, 'county_leader');
  assert.equal(as.city.user.region_code, '430400');
  assert.deepEqual(as.viewer.user.roles, ['viewer']);
});

test('a unit user cannot rename another unit (403) and the unit is unchanged', async () => {
  const transport = byName('县交通运输局');
  const r = await as.unit.patch(`/org-units/${transport.id}`, { name: '县交通运输局（改）' });
  assert.equal(r.status, 403, show(r));
  assert.equal(r.body.error.code, 'forbidden');
  const now = (await as.hq.get('/org-units')).body.items.find((x) => x.id === transport.id);
  assert.equal(now.name, '县交通运输局');
});

test('organisation is written by admin and hq only: a unit user cannot edit even its own unit', async () => {
  const own = byName('县工业和信息化局');
  const r = await as.unit.patch(`/org-units/${own.id}`, { short_name: '自改' });
  assert.equal(r.status, 403, show(r));
  const ok = await as.hq.patch(`/org-units/${own.id}`, { short_name: '工信局' });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.short_name, '工信局');
  assert.equal(ok.body.name, '县工业和信息化局');
});

test('POST /users is for admin only', async () => {
  const body = { username: 'sneaky', display_name: '越权', password: 'Sneaky#2026x', roles: ['admin'], rank: 'staff' };
  for (const who of ['hq', 'unit', 'viewer', 'leader']) {
    const r = await as[who].post('/users', body);
    assert.equal(r.status, 403, `${who}: ${show(r)}`);
  }
  const list = await as.admin.get('/users?q=sneaky');
  assert.equal(list.status, 200, show(list));
  assert.equal(list.body.items.filter((u) => u.username === 'sneaky').length, 0);
  assert.equal((await new Client(server.url).login('sneaky', body.password)).status, 401);
});

test('a unit user cannot grant itself roles', async () => {
  const r = await as.unit.patch(`/users/${as.unit.user.id}`, { roles: ['admin'] });
  assert.equal(r.status, 403, show(r));
  const me = await as.unit.get('/auth/me');
  assert.deepEqual(me.body.user.roles, ['unit']);
});

test('audit and the user list are closed to unit and viewer users', async () => {
  for (const who of ['unit', 'viewer', 'leader']) {
    const a = await as[who].get('/audit');
    assert.equal(a.status, 403, `${who} GET /audit: ${show(a)}`);
    const v = await as[who].get('/audit/verify');
    assert.equal(v.status, 403, `${who} GET /audit/verify: ${show(v)}`);
  }
  for (const who of ['unit', 'viewer']) assert.equal((await as[who].get('/users')).status, 403, who);
  assert.equal((await as.hq.get('/audit')).status, 200);
  assert.equal((await as.hq.get('/users')).status, 200);
});

test('a viewer cannot write anything', async () => {
  const own = byName('县工业和信息化局');
  const attempts = [
    ['post', '/org-units', { name: '县只读测试局', kind: 'department' }],
    ['patch', `/org-units/${own.id}`, { name: '只读改名' }],
    ['post', '/users', { username: 'v2', display_name: 'v2', password: 'Viewer#2026x', roles: ['viewer'] }],
    ['patch', `/users/${as.viewer.user.id}`, { display_name: '只读改名' }],
  ];
  for (const [m, p, b] of attempts) {
    const r = await as.viewer[m](p, b);
    assert.equal(r.status, 403, `${m.toUpperCase()} ${p}: ${show(r)}`);
    assert.equal(r.body.error.code, 'forbidden');
  }
  const names = (await as.hq.get('/org-units')).body.items.map((u) => u.name);
  assert.ok(!names.includes('县只读测试局') && !names.includes('只读改名'));
});

test('reads are open to every signed-in user of the region', async () => {
  for (const who of ['unit', 'viewer', 'leader']) {
    const r = await as[who].get('/org-units');
    assert.equal(r.status, 200, `${who}: ${show(r)}`);
    assert.ok(r.body.items.some((u) => u.name === '县交通运输局'));
  }
  const people = await as.unit.get('/people?rank=county_leader');
  assert.equal(people.status, 200, show(people));
  assert.ok(people.body.items.some((p) => p.id === as.leader.user.id));
  assert.ok(people.body.items.every((p) => p.rank === 'county_leader'));
});

test('GET /org-units?kind= filters by kind; the demo has 1 hq, 26 responsible units and 20 approval departments', async () => {
  const kinds = {};
  for (const u of units.filter((x) => x.region_code === '430424')) kinds[u.kind] = (kinds[u.kind] || 0) + 1;
  assert.equal(kinds.hq, 1);
  assert.equal(kinds.approval, 20);
  assert.equal((kinds.department || 0) + (kinds.township || 0) + (kinds.park || 0) >= 26, true, JSON.stringify(kinds));
  const approval = await as.hq.get('/org-units?kind=approval');
  assert.equal(approval.status, 200);
  assert.equal(approval.body.items.length, 20);
  assert.ok(approval.body.items.every((u) => u.kind === 'approval'));
  assert.equal(units.find((u) => u.kind === 'hq').name, '县项目建设协调总指挥部办公室');
});

test('a county user sees only its county: no rows of 430426', async () => {
  for (const who of ['hq', 'viewer']) {
    const r = await as[who].get('/org-units');
    assert.ok(r.body.items.length > 0);
    assert.ok(r.body.items.every((u) => u.region_code === '430424'), `${who} sees ${[...new Set(r.body.items.map((u) => u.region_code))]}`);
  }
  const users = await as.admin.get('/users?page_size=200');
  assert.ok(users.body.items.every((u) => u.region_code === '430424'), 'admin of 衡东 lists only 衡东 users');
  assert.ok(!users.body.items.some((u) => u.username === other.username));
});

test('the other county sees its own rows and not Hengdong\'s; rows of another county are 404 to write', async () => {
  const r = await as.qd.get('/org-units');
  assert.equal(r.status, 200, show(r));
  assert.ok(r.body.items.some((u) => u.name === other.orgUnitName));
  assert.ok(r.body.items.every((u) => u.region_code === '430426'));
  const hd = byName('县交通运输局');
  const w = await as.qd.patch(`/org-units/${hd.id}`, { name: '祁东改衡东' });
  assert.equal(w.status, 404, show(w));
  assert.equal(w.body.error.code, 'not_found');
  const qdUnit = r.body.items.find((u) => u.name === other.orgUnitName);
  const back = await as.hq.patch(`/org-units/${qdUnit.id}`, { name: '衡东改祁东' });
  assert.equal(back.status, 404, show(back));
  const adminEdit = await as.admin.patch(`/users/${as.qd.user.id}`, { display_name: '衡东改' });
  assert.equal(adminEdit.status, 404, show(adminEdit));
  assert.equal((await as.qd.get('/auth/me')).body.user.display_name, '祁东用户');
  const audit = await as.qd.get('/audit?page_size=200');
  assert.equal(audit.status, 200, show(audit));
  assert.ok(audit.body.items.every((a) => a.region_code === '430426'), 'audit rows of the other county only');
  assert.equal((await as.hq.get('/org-units')).body.items.find((u) => u.id === hd.id).name, '县交通运输局');
});

test('the city viewer sees the counties below it but cannot write', async () => {
  const r = await as.city.get('/org-units');
  assert.equal(r.status, 200, show(r));
  const regions = new Set(r.body.items.map((u) => u.region_code));
  assert.ok(regions.has('430424'), 'sees 衡东县');
  assert.ok(regions.has('430426'), 'sees 祁东县');
  assert.ok(r.body.items.some((u) => u.name === '县工业和信息化局'));
  assert.ok([...regions].every((c) => c.startsWith('4304')));
  const w = await as.city.post('/org-units', { name: '市级测试局', kind: 'department' });
  assert.equal(w.status, 403, show(w));
  const regionsList = await as.city.get('/regions');
  assert.equal(regionsList.status, 200, show(regionsList));
  const hd = regionsList.body.items.find((x) => x.code === '430424');
  assert.deepEqual({ name: hd.name, level: hd.level, parent_code: hd.parent_code }, { name: '衡东县', level: 'county', parent_code: '430400' });
});

test('every route of `steward routes` but health and sign-in answers 401 without a session, and its write is not done', async () => {
  // The first-run setup is public too: it needs the one-time code from the log (tests/security/setup.test.mjs).
  const PUBLIC = new Set(['GET /api/v1/health', 'POST /api/v1/auth/login', 'GET /api/v1/setup', 'POST /api/v1/setup',
    'GET /api/v1/divisions']);
  const r = runSteward(['routes']);
  assert.equal(r.code, 0, r.stderr);
  const routes = r.stdout.split('\n').filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
  assert.ok(routes.length >= 25, `${routes.length} routes`);
  const anonymous = new Client(server.url);
  const before = (await as.hq.get('/org-units')).body.items.length;
  let checked = 0;
  for (const [method, pattern] of routes) {
    if (PUBLIC.has(`${method} ${pattern}`)) continue;
    const path = pattern.replace(/\{[^}]+\}/g, String(units[0].id));
    const body = method === 'GET' ? undefined : { name: '匿名写入', kind: 'department' };
    const res = await anonymous.request(method, path, body, { headers: { 'X-CSRF-Token': 'guess' } });
    assert.equal(res.status, 401, `${method} ${path}: ${show(res)}`);
    assert.equal(res.body?.error?.code, 'unauthenticated', `${method} ${path}`);
    checked++;
  }
  assert.equal(checked, routes.length - PUBLIC.size);
  assert.equal((await as.hq.get('/org-units')).body.items.length, before, 'no org unit written anonymously');
  assert.equal((await anonymous.get('/health')).status, 200);
});
