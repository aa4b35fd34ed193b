// The problem list: caps on every input, scope (a unit sees only what it raised, leads or helps; another county
// sees nothing and can do nothing), and illegal or refused steps answer 409/403 and write nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, startServer } from '../api/harness.mjs';

let server, hq, unit, unit2, liaison, city, other, viewer, enterprise, admin;
let project, unitId, unit2Id;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  [hq, unit, unit2, liaison, city, viewer, enterprise, admin, other] = Array.from({ length: 9 }, () => new Client(server.url));
  for (const [c, n] of [[hq, 'hq'], [unit, 'unit'], [unit2, 'unit2'], [liaison, 'liaison'], [city, 'city'], [viewer, 'viewer'], [enterprise, 'enterprise'], [admin, 'admin']])
    assert.equal((await c.login(n)).status, 200, n);
  await other.login(qd.username, qd.password);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(unit);
  unit2Id = await me(unit2);
  project = (await hq.get('/projects?page_size=200')).body.items.find((p) => p.unit_id === unitId && p.status !== 'cancelled');
  assert.ok(project);
});
after(async () => { await server?.stop(); });

const fieldsOf = (r) => (r.body.error?.fields || []).map((f) => `${f.field}:${f.reason}`);

test('every input of raising a problem is capped and named', async () => {
  const base = { title: '问题', project_id: project.id };
  const cases = [
    [{ title: 'x'.repeat(201) }, 'title:too_long', 422],
    [{ title: '   ' }, 'title:required', 422],
    [{ description: 'x'.repeat(4001) }, 'description:too_long', 422],
    [{ category: 'x'.repeat(65) }, 'category:too_long', 422],
    [{ category: 'astrology' }, 'category:unknown', 422],
    [{ severity: 'huge' }, 'severity:invalid', 422],
    [{ kind: 'task' }, 'kind:invalid', 422],
    [{ source: 'rumour' }, 'source:invalid', 422],
    [{ source: 'report' }, 'source_id:required', 422],
    [{ source: 'visit', source_id: 999999 }, 'source_id:unknown', 422],
    [{ source: 'report', source_id: 999999 }, 'source_id:unknown', 422],
    [{ project_id: 999999 }, 'project_id:unknown', 422],
    [{ evidence: Array(10).fill('a'.repeat(64)) }, 'evidence:too_many', 422],
    [{ evidence: ['not-a-hash'] }, 'evidence:invalid', 422],
    [{ title: 7 }, 'title:must_be_string', 400],
    [{ project_id: '1' }, 'project_id:must_be_integer', 400],
  ];
  const before = (await hq.get('/problems?page_size=1')).body.total;
  for (const [over, field, status] of cases) {
    const r = await hq.post('/problems', { ...base, ...over });
    assert.equal(r.status, status, `${JSON.stringify(over).slice(0, 80)}: ${show(r)}`);
    assert.ok(fieldsOf(r).includes(field), `${field}: ${show(r)}`);
  }
  assert.equal((await hq.get('/problems?page_size=1')).body.total, before, 'nothing written');
});

test('every input of a step is capped; refused and illegal steps write nothing', async () => {
  const p = (await hq.post('/problems', { title: '步骤上限', project_id: project.id })).body;
  const caps = [
    ['accept', { note: 'x'.repeat(2001) }, 'note:too_long', 422],
    ['accept', { version: 'one' }, 'version:must_be_integer', 400],
  ];
  for (const [action, body, field, status] of caps) {
    const r = await hq.post(`/problems/${p.id}/${action}`, body);
    assert.equal(r.status, status, show(r));
    assert.ok(fieldsOf(r).includes(field), show(r));
  }
  await hq.post(`/problems/${p.id}/accept`, {});
  const assignCaps = [
    [{ lead_unit_id: unitId, helper_unit_ids: Array(11).fill(unit2Id) }, 'helper_unit_ids:too_many', 422],
    [{ lead_unit_id: 999999 }, 'lead_unit_id:unknown', 422],
    [{ lead_unit_id: unitId, helper_unit_ids: [999999] }, 'helper_unit_ids:unknown', 422],
    [{ lead_unit_id: unitId, severity: 'huge' }, 'severity:invalid', 422],
    [{}, 'lead_unit_id:required', 422],
  ];
  for (const [body, field, status] of assignCaps) {
    const r = await hq.post(`/problems/${p.id}/assign`, body);
    assert.equal(r.status, status, show(r));
    assert.ok(fieldsOf(r).includes(field), show(r));
  }
  // Another county's unit cannot be the lead unit.
  const qdUnit = (await other.get('/org-units')).body?.items?.[0]?.id;
  if (qdUnit) assert.equal((await hq.post(`/problems/${p.id}/assign`, { lead_unit_id: qdUnit })).status, 422);
  const before = (await hq.get(`/problems/${p.id}`)).body;
  const audit = (await admin.get(`/audit?entity=problem&entity_id=${p.id}`)).body.items.length;
  for (const [who, action, body, status] of [
    [unit, 'start', {}, 404], // not yet the unit's: it does not see it
    [liaison, 'accept', {}, 404],
    [viewer, 'assign', { lead_unit_id: unitId }, 403],
    [city, 'merge', { into: p.id, note: 'x' }, 403],
    [hq, 'solve', { note: '办结' }, 409],
    [hq, 'accept', {}, 409],
    [hq, 'close', { rating: 5 }, 409],
    [hq, 'nonsense', {}, 404],
  ]) {
    const r = await who.post(`/problems/${p.id}/${action}`, body);
    assert.equal(r.status, status, `${action}: ${show(r)}`);
  }
  const afterAll = (await hq.get(`/problems/${p.id}`)).body;
  assert.equal(afterAll.version, before.version);
  assert.equal(afterAll.timeline.length, before.timeline.length);
  assert.equal((await admin.get(`/audit?entity=problem&entity_id=${p.id}`)).body.items.length, audit);
  // A stale version is refused.
  const stale = await hq.post(`/problems/${p.id}/assign`, { lead_unit_id: unitId, version: before.version - 1 });
  assert.equal(stale.status, 409, show(stale));
  assert.equal(stale.body.error.code, 'version_conflict');
  const assigned = await hq.post(`/problems/${p.id}/assign`, { lead_unit_id: unitId, version: before.version });
  assert.equal(assigned.status, 200, show(assigned));
  const close = await unit2.post(`/problems/${p.id}/close`, { rating: 5 });
  assert.equal(close.status, 404, 'unit2 neither raised nor holds it');
  const long = await hq.post(`/problems/${p.id}/close`, { rating: 5, comment: 'x'.repeat(2001) });
  assert.equal(long.status, 422, show(long));
  assert.ok(fieldsOf(long).includes('comment:too_long'));
  const rating = await hq.post(`/problems/${p.id}/close`, { rating: 'five' });
  assert.equal(rating.status, 400, show(rating));
});

test('scope: a unit sees its own and what it was assigned; an enterprise its own; another county nothing', async () => {
  const byUnit2 = (await unit2.post('/problems', { title: '交通局提出' })).body;
  const byHq = (await hq.post('/problems', { title: '指挥部提出' })).body;
  assert.equal((await unit.get(`/problems/${byUnit2.id}`)).status, 404);
  assert.equal((await unit.get(`/problems/${byHq.id}`)).status, 404);
  await hq.post(`/problems/${byHq.id}/accept`, {});
  await hq.post(`/problems/${byHq.id}/assign`, { lead_unit_id: unitId });
  assert.equal((await unit.get(`/problems/${byHq.id}`)).status, 200, 'assigned to it');
  const list = (await unit.get('/problems?page_size=200')).body.items.map((x) => x.id);
  assert.ok(list.includes(byHq.id) && !list.includes(byUnit2.id));
  assert.equal((await enterprise.get(`/problems/${byHq.id}`)).status, 404);
  for (const [method, url, body] of [
    ['get', `/problems/${byHq.id}`], ['post', `/problems/${byHq.id}/start`, {}], ['post', `/problems/${byHq.id}/merge`, { into: byUnit2.id, note: 'x' }],
  ]) {
    const r = await other[method](url, body);
    assert.equal(r.status, 404, `${url}: ${show(r)}`);
  }
  const theirs = (await other.get('/problems?page_size=200')).body;
  assert.equal(theirs.total, 0);
  // A merge target in another county is not found either.
  const qdP = await other.post('/problems', { title: '祁东的问题' });
  assert.equal(qdP.status, 201, show(qdP));
  const cross = await hq.post(`/problems/${byUnit2.id}/merge`, { into: qdP.body.id, note: '重复' });
  assert.equal(cross.status, 422, show(cross));
  // Query parameters are checked.
  assert.equal((await hq.get('/problems?status=bogus')).status, 422);
  assert.equal((await hq.get('/problems?kind=bogus')).status, 422);
});
