// The monthly factor consultation (每月必商) and the four lists of 清单化管理 on the county's clock: the agenda holds
// only open problems in factor categories, overdue first; the meeting is created, edited at a version and held (the
// agenda snapshotted); each decision becomes a task assigned to its owner unit with the meeting's due day, goes
// overdue as the days pass and shows among the overdue problems and in the deadline list; the four lists and their
// workbooks; who reads and who writes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, sqlExec, startServer } from './harness.mjs';
import { readWorkbook } from './xlsx.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-consult-'));
const clock = path.join(dir, 'now');
const testClock = ['--clock-file', clock, '--allow-test-clock'];
let server;
const as = {};
const names = ['hq', 'unit', 'unit2', 'liaison', 'leader', 'viewer', 'inspector', 'enterprise'];
let project, unitId, unit2Id;
const P = {};

async function setDay(day) {
  fs.writeFileSync(clock, `${day}T02:00:00Z\n`);
  for (const n of names) await as[n].login(n);
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
const raise = (over) => ok(as.liaison.post('/problems', { title: '问题', project_id: project.id, ...over }), 201);
const step = (who, id, action, body = {}) => ok(as[who].post(`/problems/${id}/${action}`, body));

before(async () => {
  fs.writeFileSync(clock, '2026-11-02T02:00:00Z\n'); // Monday 2 November 2026
  server = await startServer({ extraArgs: testClock });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(as.unit);
  unit2Id = await me(as.unit2);
  const items = (await as.hq.get('/projects?page_size=200')).body.items;
  project = items.find((p) => p.unit_id === unitId && p.status === 'active');
  assert.ok(project);
  // Factor problems (land raised long ago and overdue, energy assigned), a non-factor one, a closed factor one.
  await setDay('2026-10-01');
  P.landOld = await raise({ title: '用地指标未落实', category: 'land' });
  await setDay('2026-11-02');
  P.energy = await raise({ title: '施工用电增容未落实', category: 'energy' });
  await step('hq', P.energy.id, 'accept');
  await step('hq', P.energy.id, 'assign', { lead_unit_id: unit2Id });
  P.other = await raise({ title: '施工扰民投诉', category: 'other' });
  P.closed = await raise({ title: '环评批复延迟', category: 'environment' });
  sqlExec(server.dbUrl, `UPDATE problems SET status = 'closed', closed_at = '2026-11-02T02:00:00Z' WHERE id = ${P.closed.id}`);
});
after(async () => { await server?.stop(); });

test('the agenda holds only the open problems in factor categories, overdue first', async () => {
  const a = await ok(as.hq.get('/consultations/2026-11/agenda'));
  assert.equal(a.month, '2026-11');
  assert.equal(a.consultation, null);
  const keys = a.categories.map((c) => c.key);
  for (const k of ['land', 'water', 'energy', 'environment', 'funds']) assert.ok(keys.includes(k), k);
  const ids = a.items.map((i) => i.problem_id);
  assert.ok(ids.includes(P.landOld.id) && ids.includes(P.energy.id), JSON.stringify(a.items));
  assert.ok(!ids.includes(P.other.id), 'a non-factor problem is not on the agenda');
  assert.ok(!ids.includes(P.closed.id), 'a closed factor problem is not on the agenda');
  assert.ok(a.items.every((i) => keys.includes(i.category)));
  assert.equal(a.items[0].problem_id, P.landOld.id);
  assert.equal(a.items[0].overdue, true);
  assert.equal(a.items.find((i) => i.problem_id === P.energy.id).overdue, false);
  assert.equal((await as.hq.get('/consultations/2026-13/agenda')).status, 422);
});

test('meeting held, decisions become tasks assigned to the owner with the due day; a task goes overdue', async () => {
  const m = await ok(as.hq.post('/consultations', { month: '2026-11', place: '县政府三楼会议室', chair: '常务副县长', attendees: ['县自然资源局', '县发改局'] }), 201);
  assert.equal(m.status, 'draft');
  const dup = await as.hq.post('/consultations', { month: '2026-11' });
  assert.equal(dup.status, 409, show(dup));
  // A decision before the meeting is held is refused.
  assert.equal((await as.hq.post(`/consultations/${m.id}/decisions`, { text: 'x', owner_unit_id: unitId, due_on: '2026-11-20' })).status, 409);
  // Holding needs the meeting's day; a stale version is refused.
  assert.equal((await as.hq.put(`/consultations/${m.id}`, { version: m.version, status: 'held' })).status, 422);
  assert.equal((await ok(as.hq.get(`/consultations/${m.id}`))).status, 'draft', 'nothing partial');
  // A note taken before the meeting keeps its place; the problem's state is taken when the meeting is held.
  const draft = await ok(as.hq.put(`/consultations/${m.id}`, { version: m.version, items: [{ problem_id: P.energy.id, note: '供电公司研究增容方案' }] }));
  assert.equal(draft.status, 'draft');
  assert.equal(draft.items.find((i) => i.problem_id === P.energy.id).status, 'assigned');
  await step('unit2', P.energy.id, 'start');
  const held = await ok(as.hq.put(`/consultations/${m.id}`, {
    version: draft.version, meeting_on: '2026-11-02', minutes: '会议研究了用地、用电问题。', status: 'held',
    items: [{ problem_id: P.landOld.id, note: '自然资源局本月内报批' }],
  }));
  assert.equal(held.status, 'held');
  assert.equal(held.minutes, '会议研究了用地、用电问题。');
  const energy = held.items.find((i) => i.problem_id === P.energy.id);
  assert.ok(energy, 'the agenda is snapshotted');
  assert.equal(energy.status, 'in_progress');
  assert.equal(energy.note, '供电公司研究增容方案');
  assert.equal(held.items.length, new Set(held.items.map((i) => i.problem_id)).size);
  assert.equal(held.items.find((i) => i.problem_id === P.landOld.id).note, '自然资源局本月内报批');
  assert.ok(!held.items.some((i) => i.problem_id === P.other.id));
  // Holding is audited with the minutes before and after.
  const trail = (await ok(as.hq.get(`/audit?entity=consultation&entity_id=${m.id}`))).items;
  const hold = trail.find((r) => r.action === 'hold');
  assert.ok(hold, JSON.stringify(trail.map((r) => r.action)));
  assert.equal(hold.before.minutes, '');
  assert.equal(hold.after.minutes, '会议研究了用地、用电问题。');
  assert.equal(hold.after.status, 'held');
  assert.equal((await as.hq.put(`/consultations/${m.id}`, { version: m.version, minutes: 'x' })).status, 409);
  assert.equal((await as.hq.put(`/consultations/${m.id}`, { version: held.version, status: 'draft' })).status, 409);

  const d = await ok(as.hq.post(`/consultations/${m.id}/decisions`, { text: '11月20日前完成用地报批', owner_unit_id: unitId, due_on: '2026-11-20', problem_id: P.landOld.id }), 201);
  assert.equal(d.owner_unit.id, unitId);
  assert.equal(d.due_on, '2026-11-20');
  assert.equal(d.task.status, 'assigned');
  const t = await ok(as.unit.get(`/problems/${d.task.id}`));
  assert.equal(t.kind, 'task');
  assert.equal(t.source, 'consultation');
  assert.equal(t.source_id, m.id);
  assert.equal(t.lead_unit.id, unitId);
  assert.equal(t.solve_due, '2026-11-20');
  assert.equal(t.category, 'land');
  assert.ok(t.actions.includes('start') || t.actions.includes('solve'), JSON.stringify(t.actions));
  const inbox = await ok(as.unit.get('/inbox?limit=50'));
  assert.ok(inbox.items.some((x) => /交办任务/.test(x.title) && x.title.includes('11月20日前完成用地报批')), show({ body: inbox }));
  const other = await ok(as.unit2.get('/inbox?limit=50'));
  assert.ok(!other.items.some((x) => x.title.includes('11月20日前完成用地报批')), 'only the owner unit is told');
  const d2 = await ok(as.hq.post(`/consultations/${m.id}/decisions`, { text: '供电公司完成专线接入', owner_unit_id: unit2Id, due_on: '2026-12-31' }), 201);
  assert.equal((await ok(as.hq.get(`/problems/${d2.task.id}`))).solve_due, '2026-12-31');

  // The loop goes on as for any problem: started and solved by the owner unit.
  await step('unit', d.task.id, 'start');
  const full = await ok(as.viewer.get(`/consultations/${m.id}`));
  assert.equal(full.decisions.length, 2);
  assert.equal(full.decisions[0].task.status, 'in_progress');
  assert.equal(full.can_edit, false);

  // Days pass: past 20 November the first task is overdue.
  await setDay('2026-11-23');
  const overdue = await ok(as.hq.get('/problems?overdue=1&kind=task'));
  assert.ok(overdue.items.some((x) => x.id === d.task.id));
  assert.ok(!overdue.items.some((x) => x.id === d2.task.id));
  const dl = await ok(as.hq.get('/lists/deadlines?page_size=200'));
  const row = dl.items.find((x) => x.source === 'problem' && x.ref_id === d.task.id);
  assert.ok(row, JSON.stringify(dl.items.slice(0, 5)));
  assert.equal(row.due, '2026-11-20');
  assert.equal(row.overdue, true);
  const days = dl.items.map((x) => x.due);
  assert.deepEqual(days, [...days].sort());
  assert.equal(dl.items.find((x) => x.ref_id === d2.task.id && x.source === 'problem').overdue, false);
  const tasks = await ok(as.hq.get('/lists/tasks'));
  const tr = tasks.items.find((x) => x.id === d.task.id);
  assert.equal(tr.consultation_month, '2026-11');
  assert.equal(tr.overdue, true);
  assert.equal(tr.lead_unit.id, unitId);
  const list = await ok(as.inspector.get('/consultations?month=2026-11'));
  assert.equal(list.total, 1);
  assert.equal(list.items[0].decision_count, 2);
  await setDay('2026-11-02');
});

test('the four lists: content, unit filter, paging, and their workbooks', async () => {
  const pr = await ok(as.hq.get('/lists/problems?page_size=200'));
  const ids = pr.items.map((x) => x.id);
  assert.ok(ids.includes(P.landOld.id) && ids.includes(P.other.id));
  assert.ok(pr.items.every((x) => x.kind !== 'task'));
  const energy = pr.items.find((x) => x.id === P.energy.id);
  assert.equal(energy.lead_unit.id, unit2Id);
  assert.equal(energy.category_name, '用能');
  const byUnit = await ok(as.hq.get(`/lists/problems?unit_id=${unit2Id}&page_size=200`));
  assert.ok(byUnit.items.some((x) => x.id === P.energy.id));
  assert.ok(!byUnit.items.some((x) => x.id === P.landOld.id));
  const page1 = await ok(as.hq.get('/lists/problems?page_size=1'));
  assert.equal(page1.items.length, 1);
  assert.equal(page1.total, pr.total);

  const resp = await ok(as.leader.get('/lists/responsibilities?page_size=200'));
  const mine = resp.items.find((x) => x.project.id === project.id);
  assert.ok(mine);
  assert.equal(mine.unit.id, unitId);
  assert.ok(mine.open_problems >= 2, JSON.stringify(mine));
  assert.ok(mine.open_tasks >= 1, JSON.stringify(mine));

  const dl = await ok(as.hq.get('/lists/deadlines?page_size=200'));
  assert.ok(dl.items.some((x) => x.source === 'problem'));
  assert.equal(dl.items.filter((x) => x.source === 'problem' && x.ref_id === P.other.id).length, 1);

  for (const [kind, sheet, header] of [['problems', '问题清单', '牵头单位'], ['tasks', '任务清单', '办结期限'],
    ['responsibilities', '责任清单', '县级领导'], ['deadlines', '时限清单', '期限']]) {
    const r = await as.viewer.get(`/lists/${kind}.xlsx`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.raw.subarray(0, 2).toString(), 'PK');
    const wb = readWorkbook(r.raw);
    assert.equal(wb.sheets[0].name, sheet);
    const rows = wb.sheets[0].rows;
    assert.ok(rows[1].includes(header), JSON.stringify(rows[1]));
    const total = (await ok(as.viewer.get(`/lists/${kind}?page_size=1`))).total;
    assert.equal(rows.length - 2, Math.min(total, 5000), kind);
  }
  assert.equal((await as.hq.get('/lists/nothing')).status, 404);
});

test('access: headquarters writes; viewers, inspectors and leaders read; units are refused; other counties see nothing', async () => {
  const m = (await ok(as.hq.get('/consultations?month=2026-11'))).items[0];
  for (const n of ['viewer', 'inspector', 'leader']) {
    await ok(as[n].get(`/consultations/${m.id}`));
    await ok(as[n].get('/consultations/2026-11/agenda'));
    await ok(as[n].get('/lists/problems'));
    const w = await as[n].put(`/consultations/${m.id}`, { version: m.version, minutes: '改' });
    assert.equal(w.status, 403, `${n}: ${show(w)}`);
    assert.equal((await as[n].post('/consultations', { month: '2026-12' })).status, 403, n);
  }
  for (const n of ['unit', 'liaison', 'enterprise']) {
    assert.equal((await as[n].get('/consultations')).status, 403, n);
    assert.equal((await as[n].get('/lists/deadlines')).status, 403, n);
  }
  const other = addOtherCounty(server.dbUrl);
  const qd = new Client(server.url);
  assert.equal((await qd.login(other.username, other.password)).status, 200);
  assert.equal((await qd.get(`/consultations/${m.id}`)).status, 404);
  assert.equal((await qd.put(`/consultations/${m.id}`, { version: m.version, minutes: 'x' })).status, 404);
  assert.equal((await qd.post(`/consultations/${m.id}/decisions`, { text: 'x', owner_unit_id: unitId, due_on: '2026-12-01' })).status, 404);
  assert.equal((await ok(qd.get('/consultations'))).total, 0);
  assert.equal((await ok(qd.get('/lists/problems'))).total, 0);
  assert.equal((await ok(qd.get('/consultations/2026-11/agenda'))).items.length, 0);
});

test('the demo holds last month\'s consultation: four decisions become tasks, one done and one overdue', async () => {
  const demo = await startServer({ demoReports: true });
  try {
    const c = new Client(demo.url);
    assert.equal((await c.login('hq')).status, 200);
    const list = await ok(c.get('/consultations'));
    assert.equal(list.total, 1);
    const m = await ok(c.get(`/consultations/${list.items[0].id}`));
    assert.equal(m.status, 'held');
    assert.ok(m.items.length >= 3, 'the agenda was snapshotted');
    assert.ok(m.items.every((i) => ['land', 'water', 'energy', 'environment', 'funds'].includes(i.category)));
    assert.equal(m.decisions.length, 4);
    const states = m.decisions.map((d) => d.task.status);
    assert.equal(states.filter((s) => s === 'closed').length, 1, JSON.stringify(states));
    assert.equal(m.decisions.filter((d) => d.task.overdue).length, 1);
    const overdue = m.decisions.find((d) => d.task.overdue);
    const dl = await ok(c.get('/lists/deadlines?page_size=200'));
    assert.ok(dl.items.some((x) => x.source === 'problem' && x.ref_id === overdue.task.id && x.overdue));
  } finally {
    await demo.stop();
  }
});
