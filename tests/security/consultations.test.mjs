// The monthly consultation and the four lists: every input capped and named; headquarters alone writes (viewers,
// inspectors, leaders and units 403); another county sees nothing and can do nothing (404); a refused write — a
// decision with an unknown owner unit or problem, a note on another county's problem, one decision too many —
// writes nothing, neither a task nor a decision nor a change to the meeting.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, startServer } from '../api/harness.mjs';

let server, hq, unit, viewer, inspector, leader, city, other;
let unitId, meeting, otherProblem;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');

const fieldsOf = (r) => (r.body?.error?.fields || []).map((f) => `${f.field}:${f.reason}`);
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
async function taskCount() {
  return (await ok(hq.get('/problems?kind=task&page_size=1'))).total;
}

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  [hq, unit, viewer, inspector, leader, city, other] = Array.from({ length: 7 }, () => new Client(server.url));
  for (const [c, n] of [[hq, 'hq'], [unit, 'unit'], [viewer, 'viewer'], [inspector, 'inspector'], [leader, 'leader'], [city, 'city']])
    assert.equal((await c.login(n)).status, 200, n);
  assert.equal((await other.login(qd.username, qd.password)).status, 200);
  unitId = (await unit.get('/auth/me')).body.org_unit_id ?? (await unit.get('/auth/me')).body.user?.org_unit_id;
  assert.ok(unitId);
  meeting = await ok(hq.post('/consultations', { month: '2026-11', meeting_on: '2026-11-25' }), 201);
  meeting = await ok(hq.put(`/consultations/${meeting.id}`, { version: meeting.version, status: 'held' }));
  otherProblem = await ok(other.post('/problems', { title: '祁东的用地问题', category: 'land' }), 201);
});
after(async () => { await server?.stop(); });

test('every input of a meeting is capped and named', async () => {
  const cases = [
    [{ month: '2026-1' }, 'month:invalid'],
    [{ month: '2026-11-01' }, 'month:too_long'],
    [{ month: '2026-13' }, 'month:invalid'],
    [{ month: '2026-12', meeting_on: '2026-02-30' }, 'meeting_on:invalid'],
    [{ month: '2026-12', place: 'x'.repeat(201) }, 'place:too_long'],
    [{ month: '2026-12', chair: 'x'.repeat(101) }, 'chair:too_long'],
    [{ month: '2026-12', minutes: 'x'.repeat(20001) }, 'minutes:too_long'],
    [{ month: '2026-12', attendees: Array(101).fill('人') }, 'attendees:too_many'],
    [{ month: '2026-12', attendees: ['x'.repeat(101)] }, 'attendees:too_long'],
    [{}, 'month:required'],
  ];
  for (const [body, field] of cases) {
    const r = await hq.post('/consultations', body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${show(r)}`);
    assert.ok(fieldsOf(r).includes(field), `${field}: ${fieldsOf(r)}`);
  }
  assert.equal((await ok(hq.get('/consultations?month=2026-12'))).total, 0, 'nothing was created');
  const put = [
    [{ minutes: 'x' }, 'version:required'],
    [{ version: meeting.version, status: 'cancelled' }, 'status:invalid'],
    [{ version: meeting.version, items: Array(201).fill({ problem_id: 1, note: 'x' }) }, 'items:too_many'],
    [{ version: meeting.version, items: [{ problem_id: 1, note: 'x'.repeat(2001) }] }, 'items[0].note:too_long'],
    [{ version: meeting.version, items: [{ note: 'x' }] }, 'items[0].problem_id:required'],
  ];
  for (const [body, field] of put) {
    const r = await hq.put(`/consultations/${meeting.id}`, body);
    assert.equal(r.status, 422, show(r));
    assert.ok(fieldsOf(r).includes(field), `${field}: ${fieldsOf(r)}`);
  }
  const dec = [
    [{ owner_unit_id: unitId, due_on: '2026-12-01' }, 'text:required'],
    [{ text: '   ', owner_unit_id: unitId, due_on: '2026-12-01' }, 'text:required'],
    [{ text: 'x'.repeat(501), owner_unit_id: unitId, due_on: '2026-12-01' }, 'text:too_long'],
    [{ text: '事项', due_on: '2026-12-01' }, 'owner_unit_id:required'],
    [{ text: '事项', owner_unit_id: unitId, due_on: '12/01' }, 'due_on:invalid'],
    [{ text: '事项', owner_unit_id: unitId, due_on: '2026-11-01' }, 'due_on:before_meeting'],
  ];
  const before = await taskCount();
  for (const [body, field] of dec) {
    const r = await hq.post(`/consultations/${meeting.id}/decisions`, body);
    assert.equal(r.status, 422, show(r));
    assert.ok(fieldsOf(r).includes(field), `${field}: ${fieldsOf(r)}`);
  }
  assert.equal(await taskCount(), before);
  for (const q of ['/lists/problems?page_size=201', '/lists/deadlines?page=0', '/consultations?page_size=101', '/lists/tasks?unit_id=abc']) {
    const r = await hq.get(q);
    assert.equal(r.status, 422, `${q}: ${show(r)}`);
  }
  assert.equal((await hq.get('/consultations?month=2026-1x')).status, 422);
});

test('only headquarters writes; readers read; units and liaisons are refused', async () => {
  for (const c of [viewer, inspector, leader, unit]) {
    assert.equal((await c.post('/consultations', { month: '2026-12' })).status, 403);
    assert.equal((await c.put(`/consultations/${meeting.id}`, { version: meeting.version, minutes: '改' })).status, 403);
    assert.equal((await c.post(`/consultations/${meeting.id}/decisions`, { text: '事项', owner_unit_id: unitId, due_on: '2026-12-01' })).status, 403);
  }
  // A city reads what is below it but does not write the county's meeting.
  await ok(city.get(`/consultations/${meeting.id}`));
  assert.equal((await city.put(`/consultations/${meeting.id}`, { version: meeting.version, minutes: '改' })).status, 403);
  const now = await ok(hq.get(`/consultations/${meeting.id}`));
  assert.equal(now.version, meeting.version);
  assert.equal(now.minutes, '');
  assert.equal(now.decisions.length, 0);
  assert.equal((await unit.get(`/consultations/${meeting.id}`)).status, 403);
  assert.equal((await unit.get('/lists/tasks.xlsx')).status, 403);
});

test('another county: 404 on the meeting, nothing in its lists, and it cannot bring its problems in', async () => {
  assert.equal((await other.get(`/consultations/${meeting.id}`)).status, 404);
  assert.equal((await other.put(`/consultations/${meeting.id}`, { version: meeting.version, minutes: 'x' })).status, 404);
  assert.equal((await other.post(`/consultations/${meeting.id}/decisions`, { text: 'x', owner_unit_id: unitId, due_on: '2026-12-01' })).status, 404);
  for (const k of ['problems', 'tasks', 'responsibilities', 'deadlines']) {
    const l = await ok(other.get(`/lists/${k}?page_size=200`));
    assert.ok(l.items.every((x) => JSON.stringify(x).indexOf('天然气') < 0), k);
  }
  const l = await ok(other.get('/lists/problems'));
  assert.deepEqual(l.items.map((x) => x.id), [otherProblem.id]);
  // Our headquarters cannot put the other county's problem or unit into our meeting.
  const r = await hq.put(`/consultations/${meeting.id}`, { version: meeting.version, minutes: '不应保存', items: [{ problem_id: otherProblem.id, note: 'x' }] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['items[0].problem_id:unknown']);
  assert.equal((await ok(hq.get(`/consultations/${meeting.id}`))).minutes, '', 'nothing partial');
  const before = await taskCount();
  const d = await hq.post(`/consultations/${meeting.id}/decisions`, { text: '事项', owner_unit_id: unitId, due_on: '2026-12-01', problem_id: otherProblem.id });
  assert.equal(d.status, 422, show(d));
  assert.deepEqual(fieldsOf(d), ['problem_id:unknown']);
  const e = await hq.post(`/consultations/${meeting.id}/decisions`, { text: '事项', owner_unit_id: 999999, due_on: '2026-12-01' });
  assert.equal(e.status, 422);
  assert.deepEqual(fieldsOf(e), ['owner_unit_id:unknown']);
  assert.equal(await taskCount(), before, 'no task was written');
  assert.equal((await ok(hq.get(`/consultations/${meeting.id}`))).decisions.length, 0);
});

test('one decision too many is refused and writes nothing', async () => {
  const m = await ok(hq.post('/consultations', { month: '2026-10', meeting_on: '2026-10-20' }), 201);
  await ok(hq.put(`/consultations/${m.id}`, { version: m.version, status: 'held' }));
  for (let i = 0; i < 50; i++)
    await ok(hq.post(`/consultations/${m.id}/decisions`, { text: `事项${i}`, owner_unit_id: unitId, due_on: '2026-12-01' }), 201);
  const before = await taskCount();
  const r = await hq.post(`/consultations/${m.id}/decisions`, { text: '第51项', owner_unit_id: unitId, due_on: '2026-12-01' });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['decisions:too_many']);
  assert.equal(await taskCount(), before);
  assert.equal((await ok(hq.get(`/consultations/${m.id}`))).decisions.length, 50);
});
