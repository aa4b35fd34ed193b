// Commitments and quarterly lists: every input capped and named (422 with the field); county headquarters alone
// creates and edits (viewers, inspectors, leaders, units and cities 403; enterprises cannot even read); another
// county sees none of it and can change none of it (404); hostile text is stored as text; a refused write writes
// nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, startServer } from '../api/harness.mjs';

let server, hq, unit, unit2, viewer, leader, city, enterprise, other;
let unitId, commitment, item, meeting;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');

const fieldsOf = (r) => (r.body?.error?.fields || []).map((f) => `${f.field}:${f.reason}`);
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
async function refused(res, status, field) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  if (field) assert.ok(fieldsOf(r).some((f) => f.startsWith(field)), `${field} in ${fieldsOf(r)}`);
}

before(async () => {
  fs.writeFileSync(clock, '2026-05-10T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  [hq, unit, unit2, viewer, leader, city, enterprise, other] = Array.from({ length: 8 }, () => new Client(server.url));
  for (const [c, n] of [[hq, 'hq'], [unit, 'unit'], [unit2, 'unit2'], [viewer, 'viewer'], [leader, 'leader'], [city, 'city'], [enterprise, 'enterprise']])
    assert.equal((await c.login(n)).status, 200, n);
  assert.equal((await other.login(qd.username, qd.password)).status, 200);
  const me = (await unit.get('/auth/me')).body;
  unitId = me.org_unit_id ?? me.user?.org_unit_id;
  commitment = await ok(hq.post('/commitments', { unit_id: unitId, year: 2026, kind: 'target', targets: [{ key: 'starts', target: 3 }] }), 201);
  item = await ok(hq.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unitId, goal: '封顶', deadline: '2026-06-01' }), 201);
  meeting = await ok(hq.post('/review-meetings', { quarter: '2026-Q2', held_on: '2026-05-10' }), 201);
});
after(async () => { await server?.stop(); });

test('caps and field errors on every input', async () => {
  const long = (n) => 'x'.repeat(n + 1);
  await refused(hq.post('/commitments', { unit_id: unitId, year: 2027, kind: 'target', targets: Array.from({ length: 9 }, () => ({ key: 'starts', target: 1 })) }), 422, 'targets');
  await refused(hq.post('/commitments', { unit_id: unitId, year: 2027, kind: 'target', targets: [{ key: 'starts', target: 1 }, { key: 'starts', target: 2 }] }), 422, 'targets[1].key');
  await refused(hq.post('/commitments', { unit_id: unitId, year: 2027, kind: 'target', targets: [{ key: 'mu', target: 1 }] }), 422, 'targets[0].key');
  await refused(hq.post('/commitments', { unit_id: unitId, year: 2027, kind: 'target', targets: [{ key: 'investment', target: -5 }] }), 422, 'targets[0].target');
  await refused(hq.post('/commitments', { unit_id: unitId, year: 2027, kind: 'target', targets: [{ key: 'starts', target: 2_000_000 }] }), 422, 'targets[0].target');
  await refused(hq.post('/commitments', { unit_id: unitId, year: 1999, kind: 'other', signed_on: '2026-02-30', targets: [] }), 422, 'year');
  await refused(hq.post('/commitments', { unit_id: unitId, year: 2027, kind: 'target', signed_by: long(100), targets: [] }), 422, 'signed_by');
  await refused(hq.post('/commitments', { unit_id: 999999, year: 2027, kind: 'target', targets: [] }), 422, 'unit_id');
  await refused(hq.post('/commitments', { unit_id: '1', year: 2027, kind: 'target', targets: [] }), 400, 'unit_id');
  await refused(hq.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unitId, goal: long(500), deadline: '2026-06-01' }), 422, 'goal');
  await refused(hq.post('/attack-lists', { quarter: '2026-Q5', owner_unit_id: unitId, goal: 'x', deadline: '2026-13-01' }), 422, 'quarter');
  await refused(hq.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unitId, goal: '   ', deadline: '2026-06-01' }), 422, 'goal');
  await refused(hq.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unitId, project_id: 999999, goal: 'x', deadline: '2026-06-01' }), 422, 'project_id');
  await refused(unit.post(`/attack-lists/items/${item.id}/done`, { version: item.version, note: long(2000) }), 422, 'note');
  await refused(hq.post('/review-meetings', { quarter: '2026-Q3', minutes: long(20000) }), 422, 'minutes');
  await refused(hq.post('/review-meetings', { quarter: '2026-Q3', attendees: Array.from({ length: 101 }, () => 'a') }), 422, 'attendees');
  await refused(hq.post(`/review-meetings/${meeting.id}/decisions`, { text: long(500), owner_unit_id: unitId, due_on: '2026-06-01' }), 422, 'text');
  await refused(hq.post(`/review-meetings/${meeting.id}/decisions`, { text: 'x', owner_unit_id: unitId, due_on: '2026-05-01' }), 422, 'due_on');
  await refused(hq.get('/commitments?year=20x6'), 422, 'year');
  await refused(hq.get('/attack-lists?quarter=2026-Q0'), 422, 'quarter');
  await refused(hq.get('/review-meetings?quarter=Q2'), 422, 'quarter');
  await refused(hq.get('/assessment.xlsx'), 422, 'quarter');
  // Nothing of the refused writes landed.
  assert.equal((await ok(hq.get('/commitments?year=2027'))).items.length, 0);
  assert.equal((await ok(hq.get('/attack-lists?quarter=2026-Q2'))).items.length, 1);
  assert.equal((await ok(hq.get('/review-meetings?quarter=2026-Q2'))).meeting.decisions.length, 0);
  assert.equal((await ok(hq.get('/review-meetings?quarter=2026-Q3'))).meeting, null);
});

test('headquarters alone writes; units read their own; enterprises read nothing', async () => {
  for (const c of [unit, viewer, leader, city]) {
    await refused(c.post('/commitments', { unit_id: unitId, year: 2028, kind: 'target', targets: [] }), 403);
    await refused(c.put(`/commitments/${commitment.id}`, { version: commitment.version, signed_by: 'x' }), c === city ? 403 : 403);
    await refused(c.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unitId, goal: 'x', deadline: '2026-06-01' }), 403);
    await refused(c.post('/review-meetings', { quarter: '2026-Q4' }), 403);
    await refused(c.post(`/review-meetings/${meeting.id}/decisions`, { text: 'x', owner_unit_id: unitId, due_on: '2026-06-01' }), 403);
  }
  await refused(viewer.post(`/attack-lists/items/${item.id}/done`, { version: item.version, note: 'x' }), 403);
  await refused(unit2.post(`/attack-lists/items/${item.id}/done`, { version: item.version, note: 'x' }), 404);
  for (const p of ['/commitments?year=2026', '/attack-lists?quarter=2026-Q2', '/review-meetings?quarter=2026-Q2', '/commitments.xlsx?year=2026', '/assessment.xlsx?quarter=2026-Q2'])
    await refused(enterprise.get(p), 403);
  await refused(unit.get('/review-meetings?quarter=2026-Q2'), 403);
  await refused(unit.get('/assessment.xlsx?quarter=2026-Q2'), 403);
  assert.equal((await ok(unit2.get('/commitments?year=2026'))).items.length, 0);
  assert.equal((await ok(unit2.get('/attack-lists?quarter=2026-Q2'))).items.length, 0);
  // The city reads the county's letters and lists.
  assert.equal((await ok(city.get('/commitments?year=2026'))).items.length, 1);
  assert.equal((await ok(city.get('/attack-lists?quarter=2026-Q2'))).items.length, 1);
});

test('another county sees none of it and changes none of it', async () => {
  assert.equal((await ok(other.get('/commitments?year=2026'))).items.length, 0);
  assert.equal((await ok(other.get('/attack-lists?quarter=2026-Q2'))).items.length, 0);
  assert.equal((await ok(other.get('/review-meetings?quarter=2026-Q2'))).meeting, null);
  await refused(other.put(`/commitments/${commitment.id}`, { version: commitment.version, signed_by: 'x' }), 404);
  await refused(other.post(`/attack-lists/items/${item.id}/done`, { version: item.version, note: 'x' }), 404);
  await refused(other.put(`/review-meetings/${meeting.id}`, { version: meeting.version, place: 'x' }), 404);
  await refused(other.post(`/review-meetings/${meeting.id}/decisions`, { text: 'x', owner_unit_id: unitId, due_on: '2026-06-01' }), 404);
  // Nor may it name our unit.
  await refused(other.post('/commitments', { unit_id: unitId, year: 2026, kind: 'target', targets: [] }), 422, 'unit_id');
  await refused(other.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unitId, goal: 'x', deadline: '2026-06-01' }), 422, 'owner_unit_id');
  const c = await ok(hq.get('/commitments?year=2026'));
  assert.equal(c.items[0].version, commitment.version);
});

test('hostile text is stored and returned as text', async () => {
  const goal = "'); DROP TABLE attack_items; -- <script>alert(1)</script>";
  const it = await ok(hq.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unitId, goal, deadline: '2026-06-01' }), 201);
  assert.equal(it.goal, goal);
  const l = await ok(hq.get('/attack-lists?quarter=2026-Q2'));
  assert.ok(l.items.some((i) => i.goal === goal));
  await refused(hq.post('/attack-lists', 'not json'), 400);
});
