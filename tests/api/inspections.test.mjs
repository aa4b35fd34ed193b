// The ten-day inspection (每旬必督) on the county's clock: headquarters plans the 旬 (one plan per 旬), the
// target's inspector records a visit with findings (photos must be the county's), the report sums the 旬 against
// the data, a finding becomes a problem and a letter draft once each, and who may do what.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, sqlExec, startServer } from './harness.mjs';

let server, hq, inspector, unit, other;
let projects, inspectorId, planId;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const fieldsOf = (r) => (r.body?.error?.fields ?? []).map((f) => `${f.field}:${f.reason}`);

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n'); // 2026-11-3 (下旬)
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  hq = new Client(server.url);
  inspector = new Client(server.url);
  unit = new Client(server.url);
  other = new Client(server.url);
  await hq.login('hq');
  await inspector.login('inspector');
  await unit.login('unit');
  await other.login(qd.username, qd.password);
  inspectorId = Number(sqlExec(server.dbUrl, "SELECT id FROM users WHERE username = 'inspector'"));
  projects = sqlExec(server.dbUrl, "SELECT id FROM projects WHERE region_code = '430424' AND status = 'active' ORDER BY id LIMIT 3")
    .split('\n').map(Number);
  // Two of the three have started; the first reports 800,000 yuan in the 旬 at 55%.
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = '2026-05-01' WHERE id IN (${projects[0]}, ${projects[1]})`);
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = NULL WHERE id = ${projects[2]}`);
  sqlExec(server.dbUrl, "INSERT INTO report_periods (region_code, cadence, period_key, start_day, end_day, status, created_at) VALUES ('430424', 'test', 'insp-1', '2026-11-21', '2026-11-30', 'open', '2026-11-22T00:00:00Z')");
  sqlExec(server.dbUrl, `INSERT INTO progress_reports (region_code, project_id, period_id, period_end, investment, percent, status, submitted_at, updated_at) SELECT '430424', ${projects[0]}, id, '2026-11-24', 800000, 55, 'submitted', '2026-11-24T00:00:00Z', '2026-11-24T00:00:00Z' FROM report_periods WHERE period_key = 'insp-1'`);
});
after(async () => { await server?.stop(); });

test('headquarters plans the 旬; one plan per 旬; the targets are checked', async () => {
  const bad = await hq.post('/inspections', { period: '2026-11-4', targets: [{ project_id: projects[0], inspector_id: 999999 }] });
  assert.equal(bad.status, 422);
  assert.ok(fieldsOf(bad).includes('period:invalid'));
  const unknown = await hq.post('/inspections', { period: '2026-11-3', targets: [{ project_id: projects[0], inspector_id: 999999 }] });
  assert.equal(unknown.status, 422, show(unknown));
  assert.ok(fieldsOf(unknown).includes('targets[0].inspector_id:unknown'));
  const unitUser = Number(sqlExec(server.dbUrl, "SELECT id FROM users WHERE username = 'unit'"));
  const notInspector = await hq.post('/inspections', { period: '2026-11-3', targets: [{ project_id: projects[0], inspector_id: unitUser }] });
  assert.ok(fieldsOf(notInspector).includes('targets[0].inspector_id:not_inspector'), show(notInspector));
  assert.equal((await hq.post('/inspections', { period: '2026-11-3', targets: [] })).status, 422);
  assert.equal((await hq.post('/inspections', { period: '2026-11-3', targets: Array.from({ length: 201 }, (_, i) => ({ project_id: i + 1, inspector_id: inspectorId })) })).status, 422);
  assert.equal((await unit.post('/inspections', { period: '2026-11-3', targets: [{ project_id: projects[0], inspector_id: inspectorId }] })).status, 403);

  const r = await hq.post('/inspections', { period: '2026-11-3', note: '下旬督查', targets: projects.map((id) => ({ project_id: id, inspector_id: inspectorId })) });
  assert.equal(r.status, 201, show(r));
  assert.equal(r.body.start_day, '2026-11-21');
  assert.equal(r.body.end_day, '2026-11-30');
  assert.equal(r.body.period_label, '2026年11月下旬');
  planId = r.body.id;
  const again = await hq.post('/inspections', { period: '2026-11-3', targets: [{ project_id: projects[0], inspector_id: inspectorId }] });
  assert.equal(again.status, 409);
  const list = await inspector.get('/inspections?period=2026-11-3');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.current, '2026-11-3');
  assert.equal((await unit.get('/inspections')).status, 403, 'a unit has no plans');
  assert.equal((await other.get(`/inspections/${planId}`)).status, 404, 'another county sees nothing');
});

test('the inspector records a visit with findings; the report follows the data', async () => {
  const notPlanned = await inspector.post(`/inspections/${planId}/visits`, { project_id: 999999, visited_on: '2026-11-24' });
  assert.equal(notPlanned.status, 422);
  const future = await inspector.post(`/inspections/${planId}/visits`, { project_id: projects[0], visited_on: '2026-11-26' });
  assert.ok(fieldsOf(future).includes('visited_on:future_date'));
  const photo = await inspector.post(`/inspections/${planId}/visits`, { project_id: projects[0], visited_on: '2026-11-24', findings: [{ text: '缺资料', photos: ['a'.repeat(64)] }] });
  assert.ok(fieldsOf(photo).includes('findings[0].photos[0]:unknown_photo'), show(photo));
  const long = await inspector.post(`/inspections/${planId}/visits`, { project_id: projects[0], visited_on: '2026-11-24', findings: [{ text: '字'.repeat(2001) }] });
  assert.ok(fieldsOf(long).includes('findings[0].text:too_long'));
  assert.equal((await unit.post(`/inspections/${planId}/visits`, { project_id: projects[0], visited_on: '2026-11-24' })).status, 404);
  assert.equal((await other.post(`/inspections/${planId}/visits`, { project_id: projects[0], visited_on: '2026-11-24' })).status, 404);

  const v = await inspector.post(`/inspections/${planId}/visits`, {
    project_id: projects[0], visited_on: '2026-11-24', summary: '主体施工中',
    findings: [{ text: '塔吊基础验收资料不全' }, { text: '渣土车未覆盖' }],
  });
  assert.equal(v.status, 201, show(v));
  assert.equal(v.body.findings.length, 2);
  const plan = (await hq.get(`/inspections/${planId}`)).body;
  assert.deepEqual(plan.report, {
    planned: 3, visited: 1, visit_rate: 33, started: 2, investment: 800000, reported: 1, average_percent: 55,
    findings: 2, to_problem: 0, to_letter: 0,
  });
  assert.equal(plan.targets.find((t) => t.project.id === projects[0]).visits, 1);
  assert.equal(plan.visits[0].findings[0].text, '塔吊基础验收资料不全');
  const audit = sqlExec(server.dbUrl, `SELECT action FROM audit_log WHERE entity = 'inspection_visit' AND entity_id = '${v.body.id}'`);
  assert.equal(audit, 'create');
});

test('a finding becomes a problem and a letter draft, once each', async () => {
  const plan = (await hq.get(`/inspections/${planId}`)).body;
  const [f1, f2] = plan.visits[0].findings;
  const p = await inspector.post(`/inspections/findings/${f1.id}/problem`, {});
  assert.equal(p.status, 201, show(p));
  assert.match(p.body.title, /^督查发现：塔吊基础验收资料不全/);
  assert.equal(p.body.project?.id ?? p.body.project_id, projects[0]);
  assert.equal((await inspector.post(`/inspections/findings/${f1.id}/problem`, {})).status, 409);
  const got = (await hq.get(`/problems/${p.body.id}`));
  assert.equal(got.status, 200);

  assert.equal((await inspector.post(`/inspections/findings/${f2.id}/letter`, {})).status, 403, 'letters are headquarters\'');
  const l = await hq.post(`/inspections/findings/${f2.id}/letter`, {});
  assert.equal(l.status, 201, show(l));
  assert.equal(l.body.kind, 'work_reminder');
  assert.equal(l.body.status, 'draft');
  assert.match(l.body.facts, /渣土车未覆盖/);
  assert.equal((await hq.post(`/inspections/findings/${f2.id}/letter`, {})).status, 409);
  assert.equal((await other.post(`/inspections/findings/${f2.id}/problem`, {})).status, 404);

  const after = (await hq.get(`/inspections/${planId}`)).body;
  assert.equal(after.report.to_problem, 1);
  assert.equal(after.report.to_letter, 1);
  const f = after.visits[0].findings;
  assert.equal(f[0].problem_id, p.body.id);
  assert.equal(f[1].letter_id, l.body.id);
});
