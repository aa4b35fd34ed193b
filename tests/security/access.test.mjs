// One write-access rule (core/access): a county's business data (projects, its org units and people) is written
// by that county. A city or province reads and supervises it, and its administrators set up accounts, but never
// edit it. Tried across every write route of the API, as a table of routes × actors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, addOtherCounty, runSteward, show, signedIn, startServer } from '../api/harness.mjs';

let server;
const as = {};
let project; // a county project of the unit user's unit
let otherUnitProject; // a county project of another unit
let orgUnit; // one of the county's org units
let person; // a county user (the viewer)

function addUser(username, role, region) {
  const password = 'Higher#2026x';
  const r = runSteward(['user', 'add', '--db', server.dbUrl, '--username', username, '--password', password,
    '--display-name', `${username} 用户`, '--role', role, '--region', region]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return password;
}

before(async () => {
  server = await startServer();
  const other = addOtherCounty(server.dbUrl);
  for (const [name, role, region] of [['city_hq', 'hq', '430400'], ['city_admin', 'admin', '430400'],
    ['prov_admin', 'admin', '430000'], ['prov_hq', 'hq', '430000']]) {
    as[name] = await signedIn(server.url, name, addUser(name, role, region));
  }
  for (const u of ['admin', 'hq', 'unit', 'viewer', 'leader', 'inspector', 'city']) as[u] = await signedIn(server.url, u);
  as.qd = await signedIn(server.url, other.username, other.password);
  const list = await as.hq.get('/projects?page_size=200');
  assert.equal(list.status, 200, show(list));
  project = list.body.items.find((p) => p.unit_id === as.unit.user.org_unit_id);
  otherUnitProject = list.body.items.find((p) => p.unit_id && p.unit_id !== as.unit.user.org_unit_id);
  assert.ok(project && otherUnitProject, 'demo projects of two units');
  orgUnit = (await as.hq.get('/org-units')).body.items.find((u) => u.region_code === '430424');
  person = as.viewer.user;
});
after(async () => { await server?.stop(); });

// Every write route on a county's business data, with a body that is valid for it.
const ROUTES = [
  { name: 'PATCH /projects/{id}', run: (c, id) => c.patch(`/projects/${id}`, { content: '越权修改' }) },
  { name: 'POST /projects/{id}/stage', run: (c, id) => c.post(`/projects/${id}/stage`, { stage: 'planning' }) },
  { name: 'POST /projects/{id}/status', run: (c, id) => c.post(`/projects/${id}/status`, { status: 'suspended', reason: '越权' }) },
  { name: 'PUT /projects/{id}/team', run: (c, id) => c.put(`/projects/${id}/team`, { has_plan: false }) },
  { name: 'PUT /projects/{id}/team (unit)', run: (c, id) => c.put(`/projects/${id}/team`, { unit_id: null }) },
  { name: 'PUT /projects/{id}/nodes', run: (c, id) => c.put(`/projects/${id}/nodes`, { nodes: [{ name: '越权节点' }] }) },
  { name: 'PUT /projects/{id}/plan', run: (c, id) => c.put(`/projects/${id}/plan`, { year: 2026, annual: 12, months: Array(12).fill(1) }) },
  { name: 'PATCH /org-units/{id}', run: (c) => c.patch(`/org-units/${orgUnit.id}`, { short_name: '越权' }) },
  { name: 'PATCH /users/{id} (profile)', run: (c) => c.patch(`/users/${person.id}`, { display_name: '越权改名' }) },
  { name: 'PATCH /users/{id} (roles)', run: (c) => c.patch(`/users/${person.id}`, { roles: ['admin'] }) },
  { name: 'PATCH /users/{id} (unit)', run: (c) => c.patch(`/users/${person.id}`, { org_unit_id: orgUnit.id }) },
];

// Who must be refused, and with what: in scope but not the owner → 403; out of scope → 404 (nothing to see).
const DENIED = [
  ['city_hq', 403], ['city_admin', 403], ['prov_admin', 403], ['prov_hq', 403], ['city', 403],
  ['viewer', 403], ['leader', 403], ['inspector', 403], ['qd', 404],
];

async function snapshot() {
  const p = await as.hq.get(`/projects/${project.id}`);
  const o = (await as.hq.get('/org-units')).body.items.find((u) => u.id === orgUnit.id);
  const u = (await as.admin.get(`/users?q=${encodeURIComponent(person.username)}`)).body.items.find((x) => x.id === person.id);
  assert.equal(p.status, 200, show(p));
  return { project: p.body, orgUnit: o, user: u };
}

test('routes × actors: a city, a province, supervisors and a neighbouring county write nothing of the county', async () => {
  const before = await snapshot();
  for (const route of ROUTES) {
    for (const [who, status] of DENIED) {
      const r = await route.run(as[who], project.id);
      assert.equal(r.status, status, `${who} ${route.name}: ${show(r)}`);
      assert.ok(r.body?.error?.code, `${who} ${route.name}: machine-readable error`);
    }
  }
  const afterAll = await snapshot();
  assert.deepEqual(afterAll, before, 'nothing of the county changed');
});

test('creating county data from above is refused too: projects, imports', async () => {
  for (const who of ['city_hq', 'city_admin', 'prov_admin', 'prov_hq']) {
    const c = await as[who].post('/projects', { name: '市级越权新建', category: 'industrial' });
    assert.equal(c.status, 403, `${who} POST /projects: ${show(c)}`);
    const i = await as[who].post('/projects/import?dry_run=1', Buffer.from('PK'), { contentType: 'application/octet-stream' });
    assert.equal(i.status, 403, `${who} POST /projects/import: ${show(i)}`);
  }
  const list = await as.hq.get('/projects?q=' + encodeURIComponent('市级越权新建'));
  assert.equal(list.body.total, 0);
});

test('a unit user writes only its own unit\'s projects', async () => {
  for (const route of ROUTES.slice(0, 7)) {
    const r = await route.run(as.unit, otherUnitProject.id);
    assert.equal(r.status, 403, `unit ${route.name} on another unit's project: ${show(r)}`);
  }
  const own = await as.unit.put(`/projects/${project.id}/team`, { has_plan: true });
  assert.equal(own.status, 200, show(own));
});

test('the county itself may do each of these writes (the table is not refusing everyone)', async () => {
  const allowed = {
    'PATCH /projects/{id}': 200, 'POST /projects/{id}/stage': null, 'POST /projects/{id}/status': 200,
    'PUT /projects/{id}/team': 200, 'PUT /projects/{id}/team (unit)': 200, 'PUT /projects/{id}/nodes': 200,
    'PUT /projects/{id}/plan': 200, 'PATCH /org-units/{id}': 200, 'PATCH /users/{id} (profile)': 200,
    'PATCH /users/{id} (roles)': 200, 'PATCH /users/{id} (unit)': 200,
  };
  for (const route of ROUTES) {
    const who = route.name.startsWith('PATCH /users') ? 'admin' : 'hq';
    const r = await route.run(as[who], otherUnitProject.id);
    if (allowed[route.name] === null) assert.ok(![403, 404].includes(r.status) && r.status < 500, `${who} ${route.name}: ${show(r)}`);
    else assert.equal(r.status, allowed[route.name], `${who} ${route.name}: ${show(r)}`);
  }
});

test('a city administrator sets up county accounts: creates one, resets a password, disables one', async () => {
  const created = await as.city_admin.post('/users', {
    username: 'hd_new_admin', display_name: '衡东新管理员', password: 'Hengdong#2026', roles: ['admin'], region_code: '430424',
  });
  assert.equal(created.status, 201, show(created));
  assert.equal(created.body.region_code, '430424');
  const reset = await as.city_admin.patch(`/users/${created.body.id}`, { password: 'Reset#2026abc' });
  assert.equal(reset.status, 200, show(reset));
  assert.equal((await new Client(server.url).login('hd_new_admin', 'Reset#2026abc')).status, 200);
  const off = await as.city_admin.patch(`/users/${created.body.id}`, { disabled: true });
  assert.equal(off.status, 200, show(off));
  // ...but not the person's profile, and never upwards or sideways.
  const rename = await as.city_admin.patch(`/users/${created.body.id}`, { display_name: '改名', disabled: false });
  assert.equal(rename.status, 403, show(rename));
  const up = await as.admin.post('/users', {
    username: 'city_sneak', display_name: '上级', password: 'Hengdong#2026', roles: ['admin'], region_code: '430400',
  });
  assert.equal(up.status, 403, show(up));
  const hqMayNot = await as.city_hq.post('/users', {
    username: 'hq_sneak', display_name: '总指挥部', password: 'Hengdong#2026', roles: ['viewer'], region_code: '430424',
  });
  assert.equal(hqMayNot.status, 403, show(hqMayNot));
});

test('the project detail tells a city user it cannot edit', async () => {
  const r = await as.city_hq.get(`/projects/${project.id}`);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.can_edit, false);
  const own = await as.hq.get(`/projects/${project.id}`);
  assert.equal(own.body.can_edit, true);
});
