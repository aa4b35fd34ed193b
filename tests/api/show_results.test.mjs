// Show-results meetings (晒实绩) and drill marks (拉练): headquarters creates a meeting, county users rate the units
// (not their own; marks in hundredths 0..10000, upserted per rater), the mean per unit, closing refuses further
// ratings; judges mark projects per factor and the month shows each project's means and its judges.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';

const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-show-')), 'now');
let server;
const as = {};
const names = ['hq', 'unit', 'unit2', 'viewer', 'inspector', 'leader'];
let unitId, unit2Id, meeting, project;

async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}

before(async () => {
  fs.writeFileSync(clock, '2026-11-02T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(as.unit);
  unit2Id = await me(as.unit2);
  project = (await as.hq.get('/projects?page_size=5')).body.items[0];
  assert.ok(project);
});
after(async () => { await server?.stop(); });

test('headquarters creates a meeting; units rate others, not themselves; the mean per unit', async () => {
  assert.equal((await as.unit.post('/show-results', { title: '晒实绩', held_on: '2026-11-02', unit_ids: [unitId] })).status, 403);
  let r = await as.hq.post('/show-results', { title: '晒实绩', held_on: '2026-11-02', unit_ids: [unitId, 99999999] });
  assert.equal(r.status, 422, show(r));
  meeting = await ok(as.hq.post('/show-results', { title: '十一月晒实绩会', held_on: '2026-11-02', unit_ids: [unitId, unit2Id] }), 201);
  assert.equal(meeting.status, 'open');
  assert.equal(meeting.unit_count, 2);

  r = await as.unit.post(`/show-results/${meeting.id}/ratings`, { ratings: [{ unit_id: unitId, mark: 9000 }] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(r.body.error.fields.map((f) => `${f.field}:${f.reason}`), ['ratings[0].unit_id:own_unit']);
  r = await as.viewer.post(`/show-results/${meeting.id}/ratings`, { ratings: [{ unit_id: unit2Id, mark: 9000 }] });
  assert.equal(r.status, 403, show(r));
  r = await as.hq.post(`/show-results/${meeting.id}/ratings`, { ratings: [{ unit_id: unit2Id, mark: 10001 }] });
  assert.equal(r.status, 422, show(r));

  await ok(as.unit.post(`/show-results/${meeting.id}/ratings`, { ratings: [{ unit_id: unit2Id, mark: 8550, comment: '进度快' }] }));
  await ok(as.hq.post(`/show-results/${meeting.id}/ratings`, { ratings: [{ unit_id: unit2Id, mark: 9001 }, { unit_id: unitId, mark: 8000 }] }));
  let m = await ok(as.hq.get(`/show-results/${meeting.id}`));
  const u2 = m.units.find((u) => u.unit_id === unit2Id);
  assert.equal(u2.ratings, 2);
  assert.equal(u2.mean, Math.floor((8550 + 9001) / 2));
  assert.equal(m.units.find((u) => u.unit_id === unitId).mean, 8000);
  // A rater's rating is replaced, not added.
  await ok(as.unit.post(`/show-results/${meeting.id}/ratings`, { ratings: [{ unit_id: unit2Id, mark: 9551 }] }));
  m = await ok(as.unit.get(`/show-results/${meeting.id}`));
  assert.equal(m.units.find((u) => u.unit_id === unit2Id).ratings, 2);
  assert.equal(m.units.find((u) => u.unit_id === unit2Id).mean, Math.floor((9551 + 9001) / 2));
  assert.deepEqual(m.my_ratings, [{ unit_id: unit2Id, mark: 9551, comment: '' }]);
  assert.equal(m.can_rate, true);
  assert.equal(m.can_close, false);
});

test('closing a meeting refuses further ratings; the list by year', async () => {
  assert.equal((await as.unit.post(`/show-results/${meeting.id}/close`, {})).status, 403);
  const m = await ok(as.hq.post(`/show-results/${meeting.id}/close`, {}));
  assert.equal(m.status, 'closed');
  const r = await as.leader.post(`/show-results/${meeting.id}/ratings`, { ratings: [{ unit_id: unit2Id, mark: 9000 }] });
  assert.equal(r.status, 409, show(r));
  assert.equal(r.body.error.code, 'closed');
  assert.equal((await as.hq.post(`/show-results/${meeting.id}/close`, {})).status, 409);
  const list = await ok(as.viewer.get('/show-results?year=2026'));
  assert.ok(list.items.some((i) => i.id === meeting.id && i.status === 'closed'));
  assert.equal((await ok(as.viewer.get('/show-results?year=2019'))).items.length, 0);
  const audit = sqlExec(server.dbUrl, `SELECT action FROM audit_log WHERE entity = 'show_results' AND entity_id = '${meeting.id}' ORDER BY id`);
  assert.deepEqual(audit.split('\n'), ['create', 'rate', 'rate', 'rate', 'close']);
});

test('judges mark projects per factor; the month shows the means and the judges', async () => {
  let r = await as.unit.post('/drill/2026-11/marks', { marks: [{ project_id: project.id, factor: 'site', mark: 9000 }] });
  assert.equal(r.status, 403, show(r));
  r = await as.hq.post('/drill/2026-11/marks', { marks: [{ project_id: project.id, factor: 'beauty', mark: 9000 }, { project_id: project.id, factor: 'site', mark: -1 }] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(r.body.error.fields.map((f) => `${f.field}:${f.reason}`), ['marks[0].factor:invalid', 'marks[1].mark:out_of_range']);
  await ok(as.hq.post('/drill/2026-11/marks', { marks: [{ project_id: project.id, factor: 'progress', mark: 8000 }, { project_id: project.id, factor: 'investment', mark: 9000 }] }));
  await ok(as.inspector.post('/drill/2026-11/marks', { marks: [{ project_id: project.id, factor: 'progress', mark: 9001 }] }));
  // The leader marks twice: the second replaces the first.
  await ok(as.leader.post('/drill/2026-11/marks', { marks: [{ project_id: project.id, factor: 'progress', mark: 1000 }] }));
  await ok(as.leader.post('/drill/2026-11/marks', { marks: [{ project_id: project.id, factor: 'progress', mark: 7000 }] }));
  const d = await ok(as.viewer.get('/drill/2026-11'));
  const p = d.projects.find((x) => x.project_id === project.id);
  assert.equal(p.judges, 3);
  assert.deepEqual(p.factors.progress, { mean: Math.floor((8000 + 9001 + 7000) / 3), count: 3 });
  assert.deepEqual(p.factors.investment, { mean: 9000, count: 1 });
  assert.equal(p.mean, Math.floor((Math.floor(24001 / 3) + 9000) / 2));
  assert.equal((await ok(as.viewer.get('/drill/2026-10'))).projects.length, 0);
  assert.equal((await as.viewer.get('/drill/2026-1')).status, 422);
});
