// Quarterly awards (每季必考): the candidates follow from the data (a project started in the quarter, a unit whose
// land-acquisition problems were all solved, a unit's show-results mark), headquarters confirms them with amounts
// in fen only after the quarter has ended, only candidates, the quarter's decisions replaced at once and audited
// before and after; the register lists the year's decisions.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';

const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-awards-')), 'now');
let server;
const as = {};
const names = ['hq', 'unit', 'unit2', 'viewer', 'leader', 'inspector'];
let unitId, unit2Id, started, notStarted;

async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
const landProblem = (title, solvedAt) => sqlExec(server.dbUrl,
  `INSERT INTO problems (region_code, kind, category, title, status, raised_on, raised_at, lead_unit_id, solved_at, updated_at)
   VALUES ('430424', 'problem', 'land', '${title}', '${solvedAt ? 'solved' : 'in_progress'}', '2026-04-10', '2026-04-10T02:00:00Z',
   ${unit2Id}, ${solvedAt ? `'${solvedAt}'` : 'NULL'}, '2026-04-10T02:00:00Z')`);

before(async () => {
  fs.writeFileSync(clock, '2026-11-02T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(as.unit);
  unit2Id = await me(as.unit2);
  const items = (await as.hq.get('/projects?page_size=10')).body.items;
  [started, notStarted] = items;
  // Nothing in the demo starts in the second quarter of 2026 but the project chosen here.
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = NULL WHERE actual_start >= '2026-04-01' AND actual_start <= '2026-06-30'`);
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = '2026-05-10' WHERE id = ${started.id}`);
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = '2026-07-01' WHERE id = ${notStarted.id}`);
  // Land acquisition: unit2 solved both of its land problems by the quarter's end.
  landProblem('征地补偿未到位', '2026-05-20T02:00:00Z');
  landProblem('拆迁户未签约', '2026-06-30T09:00:00Z');
});
after(async () => { await server?.stop(); });

test('the candidates follow from the data', async () => {
  const q = await ok(as.hq.get('/awards?quarter=2026-Q2'));
  assert.equal(q.start, '2026-04-01');
  assert.equal(q.end, '2026-06-30');
  assert.equal(q.ended, true);
  assert.equal(q.confirmed, false);
  const start = q.candidates.filter((c) => c.award === 'start');
  assert.deepEqual(start.map((c) => [c.id, c.subject_kind, c.figure]), [[started.id, 'project', 1]]);
  assert.equal(start[0].label, '开工奖');
  const land = q.candidates.filter((c) => c.award === 'land');
  assert.deepEqual(land.map((c) => [c.id, c.subject_kind, c.figure]), [[unit2Id, 'unit', 10000]]);
  // An unsolved land problem brings unit2 under the line (5000 bp < 10000).
  landProblem('临时用地未批', null);
  const q2 = await ok(as.hq.get('/awards?quarter=2026-Q2'));
  assert.equal(q2.candidates.filter((c) => c.award === 'land').length, 0);
  sqlExec(server.dbUrl, `DELETE FROM problems WHERE title = '临时用地未批'`);
  // A unit's show-results mark of the quarter makes it a service candidate (min 90.00 points).
  const m = await ok(as.hq.post('/show-results', { title: '二季度晒实绩', held_on: '2026-06-15', unit_ids: [unitId] }), 201);
  await ok(as.hq.post(`/show-results/${m.id}/ratings`, { ratings: [{ unit_id: unitId, mark: 9500 }] }));
  await ok(as.leader.post(`/show-results/${m.id}/ratings`, { ratings: [{ unit_id: unitId, mark: 9201 }] }));
  let svc = (await ok(as.hq.get('/awards?quarter=2026-Q2'))).candidates.filter((c) => c.award === 'service');
  assert.equal(svc.length, 0, 'an open meeting does not count');
  await ok(as.hq.post(`/show-results/${m.id}/close`, {}));
  svc = (await ok(as.hq.get('/awards?quarter=2026-Q2'))).candidates.filter((c) => c.award === 'service');
  assert.deepEqual(svc.map((c) => [c.id, c.figure]), [[unitId, Math.floor((9500 + 9201) / 2)]]);
  assert.equal((await as.unit.get('/awards?quarter=2026-Q2')).status, 403);
  assert.equal((await as.hq.get('/awards?quarter=2026-Q5')).status, 422);
});

test('confirming: only after the quarter, only candidates, replaced at once and audited', async () => {
  let r = await as.hq.post('/awards/2026-Q4/confirm', { items: [] });
  assert.equal(r.status, 409, show(r));
  assert.equal(r.body.error.code, 'quarter_not_ended');
  r = await as.hq.post('/awards/2026-Q2/confirm', { items: [{ award: 'start', subject_kind: 'project', subject_id: notStarted.id, amount_fen: 100 }] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(r.body.error.fields.map((f) => `${f.field}:${f.reason}`), ['items[0]:not_candidate']);
  r = await as.hq.post('/awards/2026-Q2/confirm', { items: [{ award: 'start', subject_kind: 'project', subject_id: started.id, amount_fen: 10_000_000_001 }] });
  assert.equal(r.status, 422, show(r));
  assert.equal((await as.unit.post('/awards/2026-Q2/confirm', { items: [] })).status, 403);

  let q = await ok(as.hq.post('/awards/2026-Q2/confirm', { items: [
    { award: 'start', subject_kind: 'project', subject_id: started.id, amount_fen: 5_000_000, note: '开工奖五万元' },
    { award: 'land', subject_kind: 'unit', subject_id: unit2Id, amount_fen: 2_000_000 },
  ] }));
  assert.equal(q.confirmed, true);
  assert.deepEqual(q.decisions.map((d) => [d.award, d.subject_id, d.subject_name, d.amount_fen]),
    [['start', started.id, started.name, 5_000_000], ['land', unit2Id, q.decisions[1].subject_name, 2_000_000]]);
  assert.ok(q.decisions[1].subject_name);
  assert.ok(q.decisions[0].decided_by_name);
  // Confirming again replaces the quarter's decisions.
  q = await ok(as.hq.post('/awards/2026-Q2/confirm', { items: [{ award: 'land', subject_kind: 'unit', subject_id: unit2Id, amount_fen: 3_000_000 }] }));
  assert.deepEqual(q.decisions.map((d) => [d.award, d.amount_fen]), [['land', 3_000_000]]);
  const reg = await ok(as.viewer.get('/awards/register?year=2026'));
  assert.deepEqual(reg.items.filter((d) => d.quarter === '2026-Q2').map((d) => d.award), ['land']);
  assert.equal((await as.viewer.get('/awards/register?year=26')).status, 422);

  const rows = sqlExec(server.dbUrl, `SELECT before_json || '#' || after_json FROM audit_log WHERE entity = 'awards' AND entity_id = '2026-Q2' ORDER BY id`).split('\n');
  assert.equal(rows.length, 2);
  const [b, a] = rows[1].split('#').map((s) => JSON.parse(s));
  assert.equal(b.decisions.length, 2);
  assert.deepEqual(a.decisions, [{ award: 'land', subject_kind: 'unit', subject_id: unit2Id, amount_fen: 3_000_000, note: '' }]);
});
