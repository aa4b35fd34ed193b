// The small holes: 500s caused by input (every field of every write route given null, the wrong type, an empty
// string, a huge number, a nested object), a unit user clearing its project's unit, and LIKE wildcards in filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { show, signedIn, startServer } from '../api/harness.mjs';

let server;
const as = {};
let project;
let unitProject;
let orgUnit;
let victim;

before(async () => {
  server = await startServer();
  for (const u of ['admin', 'hq', 'unit', 'unit2', 'viewer', 'inspector']) as[u] = await signedIn(server.url, u);
  const list = await as.hq.get('/projects?page_size=200');
  assert.equal(list.status, 200, show(list));
  project = list.body.items[0];
  unitProject = list.body.items.find((p) => p.unit_id === as.unit.user.org_unit_id);
  assert.ok(unitProject);
  orgUnit = (await as.hq.get('/org-units')).body.items[0];
  victim = as.inspector.user;
});
after(async () => { await server?.stop(); });

test('the reported cases: org-unit kind/short_name/sort null answer 4xx', async () => {
  for (const body of [{ kind: null }, { name: null }, { sort: null }]) {
    const r = await as.hq.patch(`/org-units/${orgUnit.id}`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${show(r)}`);
  }
  const clear = await as.hq.patch(`/org-units/${orgUnit.id}`, { short_name: null });
  assert.equal(clear.status, 200, show(clear));
  assert.equal(clear.body.short_name, '');
  const created = await as.hq.post('/org-units', { name: '县测试局', kind: 'department', sort: null, short_name: null });
  assert.equal(created.status, 201, show(created));
  assert.equal(created.body.sort, 0);
});

// Every write route with a body valid for it; the sweep replaces one field at a time.
function routes() {
  return [
    { name: 'POST /projects', who: 'hq', send: (b) => as.hq.post('/projects', b),
      body: { name: '扫描项目', category: 'industrial', code: '', industry: '新材料', chain: '', enterprise_name: '企', enterprise_credit_code: '', address: '', content: '', total_investment: 10, funding: { other: 1 }, levels: ['county'], lng: 112.7, lat: 27.1, township_id: null, unit_id: null, leader_id: null, signed_date: '2026-01-02', planned_start: null, actual_start: null, planned_completion: null, actual_completion: null, production_date: null, stage: 'planning' } },
    { name: 'PATCH /projects/{id}', who: 'hq', send: (b) => as.hq.patch(`/projects/${project.id}`, b),
      body: { name: project.name, content: 'x', total_investment: project.total_investment, funding: {}, levels: [], lng: null, lat: null, unit_id: project.unit_id, version: undefined, planned_start: '2026-01-01' } },
    { name: 'POST /projects/{id}/stage', who: 'hq', send: (b) => as.hq.post(`/projects/${project.id}/stage`, b),
      body: { stage: 'planning', date: '2026-01-01', note: 'n' } },
    { name: 'POST /projects/{id}/status', who: 'hq', send: (b) => as.hq.post(`/projects/${project.id}/status`, b),
      body: { status: 'active', reason: 'r' } },
    { name: 'PUT /projects/{id}/team', who: 'hq', send: (b) => as.hq.put(`/projects/${project.id}/team`, b),
      body: { leader_id: null, steward_id: null, police_id: null, inspector_id: null, liaison_id: null, unit_id: project.unit_id, has_plan: true, has_schedule: false, team: [], levels_3456: { county_leader: null, unit_principal: null, unit_leader: null, section_chief: null } } },
    { name: 'PUT /projects/{id}/nodes', who: 'hq', send: (b) => as.hq.put(`/projects/${project.id}/nodes`, b),
      body: { nodes: [{ key: 'k', name: '节点', planned_date: '2026-05-01', actual_date: null, unit_id: null, note: '' }] } },
    { name: 'PUT /projects/{id}/plan', who: 'hq', send: (b) => as.hq.put(`/projects/${project.id}/plan`, b),
      body: { year: 2026, annual: 12, months: Array(12).fill(1) } },
    { name: 'POST /org-units', who: 'hq', send: (b) => as.hq.post('/org-units', b),
      body: { name: '扫描单位', short_name: '扫', kind: 'department', sort: 1 } },
    { name: 'PATCH /org-units/{id}', who: 'hq', send: (b) => as.hq.patch(`/org-units/${orgUnit.id}`, b),
      body: { name: orgUnit.name, short_name: 's', kind: orgUnit.kind, sort: 1 } },
    { name: 'POST /users', who: 'admin', send: (b) => as.admin.post('/users', b),
      body: { username: 'sweep', display_name: '扫描', password: 'Sweep#2026xx', phone: '1', rank: 'staff', roles: ['viewer'], org_unit_id: null, region_code: '430424' } },
    { name: 'PATCH /users/{id}', who: 'admin', send: (b) => as.admin.patch(`/users/${victim.id}`, b),
      body: { display_name: '督查', rank: 'staff', roles: ['inspector'], phone: '', org_unit_id: null, disabled: false } },
    { name: 'POST /auth/login', who: null, send: (b) => as.viewer.post('/auth/login', b, { csrf: false }),
      body: { username: 'nobody_sweep', password: 'x' } },
  ];
}

const NASTY = [
  ['null', null], ['number', 123], ['string', 'x'], ['empty string', ''], ['huge number', '@HUGE@'],
  ['2^64', '@U64@'], ['-2^63-1', '@NEG@'], ['float', 1.5], ['1e308', '@E308@'], ['nested object', { a: { b: [1, { c: null }] } }],
  ['array', [1, 'x', null]], ['array of objects', [{}, {}]], ['boolean', true], ['deep', '@DEEP@'],
];

function encode(body) {
  const deep = '['.repeat(300) + ']'.repeat(300);
  return JSON.stringify(body)
    .replace(/"@HUGE@"/g, '123456789012345678901234567890')
    .replace(/"@U64@"/g, '18446744073709551616')
    .replace(/"@NEG@"/g, '-9223372036854775809')
    .replace(/"@E308@"/g, '1e308')
    .replace(/"@DEEP@"/g, deep);
}

test('sweep: every field of every write route given null, wrong types, "", huge numbers, nested values → 4xx or 2xx, never 5xx', async () => {
  let tried = 0;
  const failures = [];
  for (const route of routes()) {
    const fields = Object.keys(route.body).filter((k) => route.body[k] !== undefined);
    for (const field of [...fields, 'unknown_field']) {
      for (const [label, value] of NASTY) {
        const body = { ...route.body, [field]: value };
        for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
        const r = await route.send(encode(body));
        tried++;
        if (r.status >= 500) failures.push(`${route.name} ${field}=${label}: ${show(r)}`);
        else if (r.status >= 400) assert.ok(r.body?.error?.code, `${route.name} ${field}=${label}: machine-readable error`);
      }
    }
    // The body itself of the wrong shape.
    for (const raw of ['null', '[]', '"x"', '1', '{"a":', '{}']) {
      const r = await route.send(raw);
      tried++;
      if (r.status >= 500) failures.push(`${route.name} body ${raw}: ${show(r)}`);
    }
    // A nested field of the right container but wrong contents.
    if (route.body.nodes) {
      for (const [label, value] of NASTY) {
        for (const k of Object.keys(route.body.nodes[0])) {
          const r = await route.send(encode({ nodes: [{ ...route.body.nodes[0], [k]: value }] }));
          tried++;
          if (r.status >= 500) failures.push(`${route.name} nodes[0].${k}=${label}: ${show(r)}`);
        }
      }
    }
    for (const obj of ['funding', 'levels_3456']) {
      if (!route.body[obj]) continue;
      for (const key of ['other', 'county_leader', 'central_budget']) {
        for (const [label, value] of NASTY) {
          const r = await route.send(encode({ ...route.body, [obj]: { [key]: value } }));
          tried++;
          if (r.status >= 500) failures.push(`${route.name} ${obj}.${key}=${label}: ${show(r)}`);
        }
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${tried} answered 5xx`);
  const health = await as.hq.get('/health');
  assert.equal(health.status, 200);
});

test('a unit user cannot clear its project\'s responsible unit or move it to another unit through PUT /team', async () => {
  const before = (await as.unit.get(`/projects/${unitProject.id}`)).body;
  const clear = await as.unit.put(`/projects/${unitProject.id}/team`, { unit_id: null });
  assert.equal(clear.status, 403, show(clear));
  const move = await as.unit.put(`/projects/${unitProject.id}/team`, { unit_id: as.unit2.user.org_unit_id });
  assert.equal(move.status, 403, show(move));
  const viaPatch = await as.unit.patch(`/projects/${unitProject.id}`, { unit_id: null });
  assert.equal(viaPatch.status, 403, show(viaPatch));
  const after = (await as.unit.get(`/projects/${unitProject.id}`));
  assert.equal(after.status, 200, 'still within its reach');
  assert.equal(after.body.unit_id, as.unit.user.org_unit_id);
  assert.equal(after.body.version, before.version);
  // Keeping its own unit is fine; headquarters may reassign.
  const keep = await as.unit.put(`/projects/${unitProject.id}/team`, { unit_id: as.unit.user.org_unit_id });
  assert.equal(keep.status, 200, show(keep));
});

test('LIKE wildcards in filters match themselves: level, role, user search', async () => {
  const all = await as.hq.get('/projects?page_size=1');
  assert.ok(all.body.total > 0);
  for (const level of ['%', '_', '%25', 'c%', '_ounty', 'count_', '\\']) {
    const r = await as.hq.get(`/projects?level=${encodeURIComponent(level)}`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.total, 0, `level=${level} matched ${r.body.total}`);
  }
  const county = await as.hq.get('/projects?level=county');
  assert.ok(county.body.total > 0, 'the exact level still matches');
  for (const role of ['%', '_', 'a%', '_dmin', 'admi_', '\\']) {
    const u = await as.admin.get(`/users?role=${encodeURIComponent(role)}`);
    assert.equal(u.status, 200, show(u));
    assert.equal(u.body.total, 0, `users role=${role} matched ${u.body.total}`);
    const p = await as.hq.get(`/people?role=${encodeURIComponent(role)}`);
    assert.equal(p.status, 200, show(p));
    assert.equal(p.body.items.length, 0, `people role=${role} matched ${p.body.items.length}`);
  }
  assert.ok((await as.admin.get('/users?role=admin')).body.total > 0);
  for (const q of ['%', '_', '\\']) {
    const u = await as.admin.get(`/users?q=${encodeURIComponent(q)}`);
    assert.equal(u.body.total, 0, `users q=${q} matched ${u.body.total}`);
    const p = await as.hq.get(`/projects?q=${encodeURIComponent(q)}`);
    assert.equal(p.body.total, 0, `projects q=${q} matched ${p.body.total}`);
  }
});

test('chart tooltips escape what people typed: one escapeHtml, used by every formatter that builds HTML', async () => {
  const { readFileSync, readdirSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { escapeHtml } = await import('../../web/src/utils/html.js');
  assert.equal(escapeHtml('<img src=x onerror="alert(1)">&\''), '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(42), '42');
  // Every ${…} inside a formatter function's HTML template goes through escapeHtml.
  const root = new URL('../../web/src/', import.meta.url).pathname;
  const files = [];
  const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (/\.(vue|js)$/.test(f)) files.push(p); } };
  walk(root);
  let formatters = 0;
  const bare = [];
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/formatter:\s*\([^)]*\)\s*=>\s*\{([\s\S]*?)\n\s*\},/g)) {
      formatters++;
      for (const t of m[1].matchAll(/`([^`]*)`/g)) {
        if (!t[1].includes('<')) continue;
        for (const e of t[1].matchAll(/\$\{([^}]*)\}/g)) {
          const expr = e[1].trim();
          if (!expr.startsWith('escapeHtml(') && !/\bescapeHtml\(/.test(expr)) bare.push(`${file}: \${${expr}}`);
        }
      }
    }
  }
  assert.ok(formatters >= 3, `found the chart formatters (${formatters})`);
  assert.deepEqual(bare, [], 'interpolations without escapeHtml');
});
