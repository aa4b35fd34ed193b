// Caps on every input (core/limits.h): collections and strings over their cap are refused with 422 naming the
// field and the reason (too_many / too_long), never truncated, and nothing is written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { show, signedIn, startServer } from '../api/harness.mjs';

let server;
const as = {};
let project;
let viewer;
let orgUnit;

before(async () => {
  server = await startServer();
  for (const u of ['admin', 'hq', 'viewer']) as[u] = await signedIn(server.url, u);
  const list = await as.hq.get('/projects?page_size=1');
  assert.equal(list.status, 200, show(list));
  project = list.body.items[0];
  viewer = as.viewer.user;
  orgUnit = (await as.hq.get('/org-units')).body.items[0];
});
after(async () => { await server?.stop(); });

const fieldOf = (r) => (r.body?.error?.fields || []).map((f) => `${f.field}:${f.reason}`);

function refused(r, field, reason, what) {
  assert.equal(r.status, 422, `${what}: ${show(r)}`);
  assert.ok(fieldOf(r).includes(`${field}:${reason}`), `${what}: expected ${field}:${reason} in ${fieldOf(r)}`);
}

const projectNow = async () => (await as.hq.get(`/projects/${project.id}`)).body;

test('a node plan of 5,000 nodes is refused (too_many), 200 nodes are accepted, and nothing is half-written', async () => {
  const before = await projectNow();
  for (const n of [201, 5000]) {
    const nodes = Array.from({ length: n }, (_, i) => ({ name: `节点${i}` }));
    refused(await as.hq.put(`/projects/${project.id}/nodes`, { nodes }), 'nodes', 'too_many', `${n} nodes`);
  }
  assert.deepEqual((await projectNow()).nodes, before.nodes);
  const ok = await as.hq.put(`/projects/${project.id}/nodes`, { nodes: Array.from({ length: 200 }, (_, i) => ({ name: `节点${i}` })) });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.nodes.length, 200);
});

test('node names and notes are capped, and the error names the node', async () => {
  refused(await as.hq.put(`/projects/${project.id}/nodes`, { nodes: [{ name: 'a' }, { name: '节'.repeat(101) }] }),
    'nodes[1].name', 'too_long', 'node name');
  refused(await as.hq.put(`/projects/${project.id}/nodes`, { nodes: [{ name: 'a', note: 'x'.repeat(501) }] }),
    'nodes[0].note', 'too_long', 'node note');
  refused(await as.hq.put(`/projects/${project.id}/nodes`, { nodes: [{ name: 'a', key: 'k'.repeat(65) }] }),
    'nodes[0].key', 'too_long', 'node key');
});

test('team members, levels, funding keys and months are capped', async () => {
  const before = await projectNow();
  const ids = Array.from({ length: 201 }, (_, i) => i + 1);
  refused(await as.hq.put(`/projects/${project.id}/team`, { team: ids }), 'team', 'too_many', '201 team members');
  refused(await as.hq.patch(`/projects/${project.id}`, { levels: ['province', 'city', 'county', 'county'] }), 'levels', 'too_many', '4 levels');
  const funding = { central_budget: 1, special_bonds: 1, self_raised: 1, bank_loans: 1, other: 1, extra: 1 };
  refused(await as.hq.patch(`/projects/${project.id}`, { funding }), 'funding', 'too_many', '6 funding keys');
  const m = await as.hq.put(`/projects/${project.id}/plan`, { year: 2026, annual: 13, months: Array(13).fill(1) });
  refused(m, 'months', 'need_12_values', '13 months');
  const after = await projectNow();
  assert.equal(after.version, before.version, 'nothing changed');
  assert.deepEqual(after.team, before.team);
});

test('project strings: name, enterprise, address, content, industry, code are capped in characters', async () => {
  const before = await projectNow();
  const cases = [
    ['name', '项'.repeat(201)], ['enterprise_name', '企'.repeat(201)], ['address', '址'.repeat(501)],
    ['content', '内'.repeat(10001)], ['industry', '业'.repeat(101)], ['chain', '链'.repeat(101)], ['code', '1'.repeat(65)],
  ];
  for (const [field, value] of cases) refused(await as.hq.patch(`/projects/${project.id}`, { [field]: value }), field, 'too_long', field);
  // At the cap it is accepted, whole: nothing is silently cut.
  const ok = await as.hq.patch(`/projects/${project.id}`, { name: '项'.repeat(200) });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.name, '项'.repeat(200));
  assert.equal((await as.hq.patch(`/projects/${project.id}`, { name: before.name })).status, 200);
});

test('stage notes, status reasons and new projects are capped', async () => {
  refused(await as.hq.post(`/projects/${project.id}/stage`, { stage: 'construction', note: 'n'.repeat(501) }), 'note', 'too_long', 'stage note');
  refused(await as.hq.post(`/projects/${project.id}/status`, { status: 'suspended', reason: 'r'.repeat(501) }), 'reason', 'too_long', 'reason');
  refused(await as.hq.post('/projects', { name: '新'.repeat(201) }), 'name', 'too_long', 'new project name');
  const list = await as.hq.get('/projects?q=' + encodeURIComponent('新'.repeat(50)));
  assert.equal(list.body.total, 0, 'not created');
});

test('org units and users: names, short names, phones, roles are capped', async () => {
  refused(await as.hq.post('/org-units', { name: '单'.repeat(201), kind: 'department' }), 'name', 'too_long', 'org unit name');
  refused(await as.hq.patch(`/org-units/${orgUnit.id}`, { short_name: '简'.repeat(101) }), 'short_name', 'too_long', 'short name');
  refused(await as.admin.patch(`/users/${viewer.id}`, { display_name: '名'.repeat(101) }), 'display_name', 'too_long', 'display name');
  refused(await as.admin.patch(`/users/${viewer.id}`, { phone: '1'.repeat(33) }), 'phone', 'too_long', 'phone');
  const nineRoles = ['viewer', 'viewer', 'viewer', 'viewer', 'viewer', 'viewer', 'viewer', 'viewer', 'viewer'];
  refused(await as.admin.patch(`/users/${viewer.id}`, { roles: nineRoles }), 'roles', 'too_many', 'nine roles');
  const base = { username: 'capped', display_name: '测试', password: 'Capped#2026x', roles: ['viewer'] };
  refused(await as.admin.post('/users', { ...base, display_name: '名'.repeat(101) }), 'display_name', 'too_long', 'new user name');
  refused(await as.admin.post('/users', { ...base, username: 'u'.repeat(65) }), 'username', 'too_long', 'username');
  refused(await as.admin.post('/users', { ...base, phone: '1'.repeat(33) }), 'phone', 'too_long', 'new user phone');
  refused(await as.admin.post('/users', { ...base, roles: nineRoles }), 'roles', 'too_many', 'new user roles');
  const users = await as.admin.get('/users?q=capped');
  assert.equal(users.body.total, 0, 'not created');
  const me = await as.viewer.get('/auth/me');
  assert.equal(me.body.user.display_name, viewer.display_name, 'unchanged');
});

test('every string has a default cap: an unknown-length field of 2,001 characters is refused', async () => {
  // POST /users reads region_code through the default cap before its own format check.
  const r = await as.admin.post('/users', { username: 'capx', display_name: 'x', password: 'Capped#2026x', roles: ['viewer'], region_code: '4'.repeat(2001) });
  refused(r, 'region_code', 'too_long', 'region_code');
});
