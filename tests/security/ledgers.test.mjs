// Five accounts, show-results, drill marks and awards: every input capped and named; who may write (a unit only its
// own ledger, headquarters alone settles, creates meetings, closes them and confirms awards; viewers never rate;
// only judges mark); another county sees nothing (404) and changes nothing; marks out of 0..10000 and amounts
// beyond 10^10 fen or int64 are refused and write nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, sqlExec, startServer } from '../api/harness.mjs';

let server, hq, unit, viewer, inspector, leader, enterprise, other;
let unitId, unit2Id, meeting, project;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const fieldsOf = (r) => (r.body?.error?.fields || []).map((f) => `${f.field}:${f.reason}`);
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
const count = (table) => Number(sqlExec(server.dbUrl, `SELECT COUNT(*) FROM ${table}`));

before(async () => {
  fs.writeFileSync(clock, '2026-11-10T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  [hq, unit, viewer, inspector, leader, enterprise, other] = Array.from({ length: 7 }, () => new Client(server.url));
  for (const [c, n] of [[hq, 'hq'], [unit, 'unit'], [viewer, 'viewer'], [inspector, 'inspector'], [leader, 'leader'], [enterprise, 'enterprise']])
    assert.equal((await c.login(n)).status, 200, n);
  assert.equal((await other.login(qd.username, qd.password)).status, 200);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(unit);
  const u2 = new Client(server.url);
  await u2.login('unit2');
  unit2Id = await me(u2);
  project = (await hq.get('/projects?page_size=1')).body.items[0];
  meeting = await ok(hq.post('/show-results', { title: '晒实绩', held_on: '2026-11-10', unit_ids: [unitId, unit2Id] }), 201);
});
after(async () => { await server?.stop(); });

test('ledger inputs are capped and only the unit itself or headquarters writes it', async () => {
  let r = await unit.post(`/ledgers/2026-11/${unitId}/set_up`, { note: 'x'.repeat(2001) });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['note:too_long']);
  r = await unit.post(`/ledgers/2026-11/${unitId}/set_up`, { items: Array.from({ length: 501 }, () => ({ kind: 'project', id: 1 })) });
  assert.deepEqual(fieldsOf(r), ['items:too_many']);
  r = await unit.post(`/ledgers/2026-11/${unitId}/set_up`, { items: [{ kind: 'project', id: 1, done_yuan: -5 }] });
  assert.equal(r.status, 422, show(r));
  r = await unit.post(`/ledgers/2026-11/${unitId}/set_up`, { items: [{ kind: 'project', id: 1, done_yuan: 1e300 }] });
  assert.ok([400, 422].includes(r.status), show(r));
  assert.equal((await unit.post(`/ledgers/2026-11/${unit2Id}/set_up`, {})).status, 403);
  for (const c of [viewer, inspector, leader, enterprise])
    assert.equal((await c.post(`/ledgers/2026-11/${unitId}/set_up`, {})).status, 403);
  assert.equal((await unit.post('/ledgers/2026-99/' + unitId + '/set_up', {})).status, 422);
  for (const month of ['9999-12', '0000-01', '2026-1x', '%00'])
    assert.equal((await hq.get(`/ledgers?month=${encodeURIComponent(month)}`)).status, 422, month);
  assert.equal((await hq.post(`/ledgers/9999-12/${unitId}/set_up`, {})).status, 422);
  assert.equal(count('ledgers'), 0, 'nothing written');
  // Another county: its headquarters cannot see or touch this county's units.
  assert.equal((await other.get(`/ledgers/2026-11/${unitId}`)).status, 404);
  assert.equal((await other.post(`/ledgers/2026-11/${unitId}/set_up`, {})).status, 404);
  assert.ok(!(await ok(other.get('/ledgers?month=2026-11'))).units.some((u) => u.unit_id === unitId));
  assert.equal(count('ledgers'), 0);
});

test('show-results: caps, marks in range, who rates and closes, another county 404', async () => {
  let r = await hq.post('/show-results', { title: 'x'.repeat(201), held_on: '2026-02-30', unit_ids: Array.from({ length: 101 }, (_, i) => i + 1) });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r).sort(), ['held_on:invalid', 'title:too_long', 'unit_ids:too_many']);
  r = await hq.post('/show-results', { title: '会', held_on: '2026-11-10', unit_ids: [unitId, unitId] });
  assert.deepEqual(fieldsOf(r), ['unit_ids[1]:duplicate']);
  for (const c of [unit, viewer, inspector, leader]) assert.equal((await c.post('/show-results', { title: '会', held_on: '2026-11-10', unit_ids: [unitId] })).status, 403);
  const url = `/show-results/${meeting.id}/ratings`;
  for (const mark of [-1, 10001, 2 ** 62]) {
    r = await hq.post(url, { ratings: [{ unit_id: unitId, mark }] });
    assert.equal(r.status, 422, show(r));
    assert.deepEqual(fieldsOf(r), ['ratings[0].mark:out_of_range']);
  }
  r = await hq.post(url, { ratings: [{ unit_id: unitId, mark: 99.5 }] });
  assert.equal(r.status, 400, show(r));
  r = await hq.post(url, { ratings: Array.from({ length: 101 }, () => ({ unit_id: unitId, mark: 1 })) });
  assert.deepEqual(fieldsOf(r), ['ratings:too_many']);
  r = await hq.post(url, { ratings: [{ unit_id: unitId, mark: 1, comment: 'x'.repeat(501) }] });
  assert.deepEqual(fieldsOf(r), ['ratings[0].comment:too_long']);
  assert.equal((await viewer.post(url, { ratings: [{ unit_id: unitId, mark: 1 }] })).status, 403);
  assert.equal((await other.post(url, { ratings: [{ unit_id: unitId, mark: 1 }] })).status, 404);
  assert.equal((await other.get(`/show-results/${meeting.id}`)).status, 404);
  assert.equal((await other.post(`/show-results/${meeting.id}/close`, {})).status, 404);
  assert.equal((await inspector.post(`/show-results/${meeting.id}/close`, {})).status, 403);
  assert.equal(count('show_results_ratings'), 0, 'nothing written');
  assert.ok(!(await ok(other.get('/show-results'))).items.some((m) => m.id === meeting.id));
});

test('drill marks: only judges, marks in range, projects of the county', async () => {
  const url = '/drill/2026-11/marks';
  for (const c of [unit, viewer, enterprise]) assert.equal((await c.post(url, { marks: [{ project_id: project.id, factor: 'site', mark: 1 }] })).status, 403);
  let r = await hq.post(url, { marks: [{ project_id: project.id, factor: 'site', mark: 10001 }] });
  assert.deepEqual(fieldsOf(r), ['marks[0].mark:out_of_range']);
  r = await hq.post(url, { marks: Array.from({ length: 501 }, () => ({ project_id: project.id, factor: 'site', mark: 1 })) });
  assert.deepEqual(fieldsOf(r), ['marks:too_many']);
  // Another county's headquarters judges its own projects only: this county's project is unknown to it.
  r = await other.post(url, { marks: [{ project_id: project.id, factor: 'site', mark: 1 }] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['marks[0].project_id:unknown']);
  assert.equal(count('drill_marks'), 0);
});

test('awards: only headquarters confirms; amounts are integers within 0..10^10 fen', async () => {
  const url = '/awards/2026-Q2/confirm';
  for (const c of [unit, viewer, inspector, leader]) assert.equal((await c.post(url, { items: [] })).status, 403);
  for (const c of [unit, enterprise]) assert.equal((await c.get('/awards?quarter=2026-Q2')).status, 403);
  for (const q of ['9999-Q4', '1999-Q1', '2026-Q0', '2026Q1'])
    assert.equal((await hq.get(`/awards?quarter=${q}`)).status, 422, q);
  assert.equal((await hq.post('/awards/9999-Q4/confirm', { items: [] })).status, 422);
  assert.equal((await hq.get('/drill/9999-12')).status, 422);
  const item = { award: 'start', subject_kind: 'project', subject_id: project.id };
  for (const amount_fen of [-1, 10_000_000_001]) {
    const r = await hq.post(url, { items: [{ ...item, amount_fen }] });
    assert.equal(r.status, 422, show(r));
    assert.deepEqual(fieldsOf(r), ['items[0].amount_fen:out_of_range']);
  }
  let r = await hq.post(url, { items: [{ ...item, amount_fen: 12.5 }] });
  assert.equal(r.status, 400, show(r));
  r = await hq.post(url, { items: [{ ...item, amount_fen: 99999999999999999999 }] });
  assert.ok([400, 422].includes(r.status), show(r));
  r = await hq.post(url, { items: Array.from({ length: 101 }, () => ({ ...item, amount_fen: 1 })) });
  assert.deepEqual(fieldsOf(r), ['items:too_many']);
  r = await hq.post(url, { items: [{ ...item, amount_fen: 1, note: 'x'.repeat(501) }] });
  assert.deepEqual(fieldsOf(r), ['items[0].note:too_long']);
  // Another county confirms its own quarter only: this county's project is no candidate there.
  r = await other.post(url, { items: [{ ...item, amount_fen: 1 }] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['items[0]:not_candidate']);
  assert.equal(count('award_decisions'), 0);
});
