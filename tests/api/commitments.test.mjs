// Commitments and quarterly lists on the county's clock: a commitment letter's targets follow the data (reports'
// investment, projects started and completed, land problems solved) month by month; an attack item goes overdue
// after its deadline and is marked done by its owner unit; the dispatch-and-review meeting's decision becomes a task
// seen in /problems that goes overdue; the quarterly assessment workbook has its two sheets with the latest ranking
// revision per month and 未发布 for a month not closed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';
import { readWorkbook } from './xlsx.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-commit-'));
const clock = path.join(dir, 'now');
const testClock = ['--clock-file', clock, '--allow-test-clock'];
let server;
const as = {};
const names = ['hq', 'unit', 'unit2', 'liaison', 'leader', 'viewer'];
let unitId, unit2Id, project, other;

async function setDay(day) {
  fs.writeFileSync(clock, `${day}T02:00:00Z\n`);
  for (const n of names) await as[n].login(n);
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
const targetOf = (c, key) => c.targets.find((t) => t.key === key);

before(async () => {
  fs.writeFileSync(clock, '2026-05-10T02:00:00Z\n');
  server = await startServer({ extraArgs: testClock });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(as.unit);
  unit2Id = await me(as.unit2);
  const items = (await as.hq.get('/projects?page_size=200&sort=total_investment&order=desc')).body.items;
  const mine = items.filter((p) => p.unit_id === unitId && p.status === 'active');
  assert.ok(mine.length >= 2, 'two active projects of the unit');
  [project, other] = mine;
  sqlExec(server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
  // Start from a known state: none of the unit's projects started or completed this year.
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = NULL, actual_completion = NULL WHERE unit_id = ${unitId}`);
  // The project that reports started last year (it must have started to report): not counted in 2026.
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = '2025-12-01' WHERE id = ${project.id}`);
});
after(async () => { await server?.stop(); });

test('a commitment letter: created by headquarters, its targets\' actuals follow the data month by month', async () => {
  const c = await ok(as.hq.post('/commitments', {
    unit_id: unitId, year: 2026, kind: 'target', signed_on: '2026-02-18', signed_by: '局长',
    targets: [{ key: 'investment', target: 100_000_000 }, { key: 'starts', target: 2 }, { key: 'completions', target: 1 }],
  }), 201);
  assert.equal(c.kind_label, '目标管理承诺书');
  assert.equal(c.unit.id, unitId);
  assert.equal(targetOf(c, 'starts').actual, 0);
  assert.equal(targetOf(c, 'starts').months.length, 5, 'January to May');
  const land = await ok(as.hq.post('/commitments', { unit_id: unitId, year: 2026, kind: 'land', targets: [{ key: 'land', target: 4 }] }), 201);
  const dup = await as.hq.post('/commitments', { unit_id: unitId, year: 2026, kind: 'target', targets: [] });
  assert.equal(dup.status, 409, show(dup));
  const before = targetOf(c, 'investment');

  // Data: a project started in March, one completed in April, April's report, a land problem solved in May.
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = '2026-03-15' WHERE id = ${other.id}`);
  sqlExec(server.dbUrl, `UPDATE projects SET actual_completion = '2026-04-20' WHERE id = ${other.id}`);
  const rep = await as.liaison.post(`/projects/${project.id}/reports`, {
    investment: 12_000_000, percent: 40, progress: '主体施工', workers: 10, machines: 2, next_plan: '继续施工', problems: [],
  });
  assert.equal(rep.status, 201, show(rep));
  const repMonth = String(rep.body.period_end || `${rep.body.period}-01`).slice(0, 7);
  assert.ok(repMonth >= '2026-01' && repMonth <= '2026-05', repMonth);
  const mi = Number(repMonth.slice(5, 7)) - 1;
  const p = await ok(as.liaison.post('/problems', { title: '红线内两户未签征收协议', category: 'land_acquisition', project_id: project.id }), 201);
  await ok(as.hq.post(`/problems/${p.id}/accept`, {}));
  await ok(as.hq.post(`/problems/${p.id}/assign`, { lead_unit_id: unitId }));
  await ok(as.unit.post(`/problems/${p.id}/start`, {}));
  await ok(as.unit.post(`/problems/${p.id}/solve`, { note: '已签订协议' }));

  const list = await ok(as.hq.get('/commitments?year=2026'));
  assert.equal(list.through, '2026-05');
  const t = list.items.find((x) => x.id === c.id);
  const inv = targetOf(t, 'investment');
  assert.equal(inv.actual, before.actual + 12_000_000);
  assert.equal(inv.months[mi].month, repMonth);
  assert.equal(inv.months[mi].value, before.months[mi].value + 12_000_000, 'the report counts in its period\'s month');
  assert.equal(inv.percent_bp, Math.floor(inv.actual * 10000 / 100_000_000));
  const starts = targetOf(t, 'starts');
  assert.deepEqual(starts.months.map((m) => m.cumulative), [0, 0, 1, 1, 1]);
  assert.equal(starts.percent_bp, 5000);
  assert.equal(targetOf(t, 'completions').percent_bp, 10000);
  const l = targetOf(list.items.find((x) => x.id === land.id), 'land');
  assert.equal(l.actual, 1);
  assert.equal(l.percent_bp, 2500);

  // Edited at a version; a stale version is refused.
  const e = await ok(as.hq.put(`/commitments/${c.id}`, { version: c.version, targets: [{ key: 'starts', target: 4 }] }));
  assert.equal(targetOf(e, 'starts').percent_bp, 2500);
  assert.equal(e.targets.length, 1);
  const stale = await as.hq.put(`/commitments/${c.id}`, { version: c.version, signed_by: 'x' });
  assert.equal(stale.status, 409, show(stale));
  // A unit sees its own letters only.
  assert.equal((await ok(as.unit.get('/commitments?year=2026'))).items.length, 2);
  assert.equal((await ok(as.unit2.get('/commitments?year=2026'))).items.length, 0);
  assert.equal((await ok(as.unit.get('/commitments?year=2026'))).can_edit, false);

  const x = await as.viewer.get('/commitments.xlsx?year=2026');
  assert.equal(x.status, 200, show(x));
  const wb = readWorkbook(x.raw);
  assert.equal(wb.sheets[0].name, '承诺书跟踪');
  assert.ok(wb.sheets[0].rows[1].includes('5月'));
  assert.ok(wb.sheets[0].rows.some((r) => r.includes('征地拆迁问题办结')));
});

test('an attack item goes overdue after its deadline; the owner unit marks it done, audited', async () => {
  const a = await ok(as.hq.post('/attack-lists', { quarter: '2026-Q2', project_id: project.id, owner_unit_id: unitId, owner_person: '张科长', goal: '主体封顶', deadline: '2026-05-20' }), 201);
  const b = await ok(as.hq.post('/attack-lists', { quarter: '2026-Q2', owner_unit_id: unit2Id, goal: '完成能评', deadline: '2026-06-10' }), 201);
  let l = await ok(as.hq.get('/attack-lists?quarter=2026-Q2'));
  assert.equal(l.items.length, 2);
  assert.ok(l.items.every((i) => !i.overdue));
  await setDay('2026-05-21');
  l = await ok(as.leader.get('/attack-lists?quarter=2026-Q2'));
  const ia = l.items.find((i) => i.id === a.id);
  assert.equal(ia.overdue, true);
  assert.equal(ia.status_label, '已逾期');
  assert.equal(l.items.find((i) => i.id === b.id).overdue, false);
  assert.equal(l.totals.overdue, 1);
  // Units see their own items; another unit cannot mark it.
  const mine = await ok(as.unit.get('/attack-lists?quarter=2026-Q2'));
  assert.deepEqual(mine.items.map((i) => i.id), [a.id]);
  assert.equal(mine.items[0].can_mark_done, true);
  const wrong = await as.unit2.post(`/attack-lists/items/${a.id}/done`, { version: a.version, note: 'x' });
  assert.equal(wrong.status, 404, show(wrong));
  const done = await ok(as.unit.post(`/attack-lists/items/${a.id}/done`, { version: a.version, note: '5月21日封顶' }));
  assert.equal(done.status, 'done');
  assert.equal(done.overdue, false);
  assert.equal(done.done_on, '2026-05-21');
  const again = await as.unit.post(`/attack-lists/items/${a.id}/done`, { version: done.version, note: 'x' });
  assert.equal(again.status, 409, show(again));
  const audit = await ok(as.hq.get(`/audit?entity=attack_item&entity_id=${a.id}`));
  assert.equal(audit.total, 2, 'created and marked done, each audited');
});

test('the review meeting\'s decision becomes a task in /problems that goes overdue', async () => {
  const m = await ok(as.hq.post('/review-meetings', { quarter: '2026-Q2', place: '县政府常务会议室', chair: '县长', attendees: ['县工信局'] }), 201);
  const early = await as.hq.post(`/review-meetings/${m.id}/decisions`, { text: '限期封顶', owner_unit_id: unitId, due_on: '2026-06-01' });
  assert.equal(early.status, 409, show(early));
  const held = await ok(as.hq.put(`/review-meetings/${m.id}`, { version: m.version, held_on: '2026-05-21', minutes: '讲评各单位攻坚清单' }));
  assert.equal(held.held_on, '2026-05-21');
  const d = await ok(as.hq.post(`/review-meetings/${m.id}/decisions`, { text: '配套道路限期贯通', owner_unit_id: unitId, due_on: '2026-06-01' }), 201);
  assert.ok(d.task.id);
  assert.equal(d.task.status, 'assigned');
  const task = await ok(as.unit.get(`/problems/${d.task.id}`));
  assert.equal(task.kind, 'task');
  assert.equal(task.source, 'review');
  const mineList = await ok(as.unit.get('/problems?my_unit=true&page_size=200'));
  assert.ok(mineList.items.some((x) => x.id === d.task.id), 'the task is in the unit\'s problems');
  await setDay('2026-06-02');
  const r = await ok(as.viewer.get('/review-meetings?quarter=2026-Q2'));
  assert.equal(r.meeting.decisions[0].task.overdue, true);
  assert.equal((await ok(as.hq.get('/review-meetings?quarter=2026-Q1'))).meeting, null);
});

test('the quarterly assessment workbook: units\' months from the latest revision, 未发布, and the leaders', async () => {
  const result = (total) => JSON.stringify({ units: [{ id: unitId, rank: 1, total, grade: '优', yellow_card: false }, { id: unit2Id, rank: 2, total: 6000, grade: '差', yellow_card: true }] });
  for (const [rev, total] of [[1, 9000], [2, 9250]])
    sqlExec(server.dbUrl, `INSERT INTO ranking_revisions (region_code, month, revision, reason, rules, inputs, chosen, result, digest, created_at) VALUES ('430424', '2026-04', ${rev}, '', '{}', '{}', '[]', '${result(total)}', 'd${rev}', '2026-05-05T02:00:00Z')`);
  const x = await as.hq.get('/assessment.xlsx?quarter=2026-Q2');
  assert.equal(x.status, 200, show(x));
  const wb = readWorkbook(x.raw);
  assert.deepEqual(wb.sheets.map((s) => s.name), ['单位考核', '领导考核']);
  const rows = wb.sheets[0].rows;
  const head = rows[1];
  const row = rows.find((r) => r[0] === '县工业和信息化局');
  assert.ok(row, JSON.stringify(rows.slice(0, 4)));
  assert.equal(row[head.indexOf('4月名次')], '1');
  assert.equal(Number(row[head.indexOf('4月得分')]), 92.5, 'the latest revision');
  assert.equal(row[head.indexOf('4月等次')], '优');
  assert.equal(row[head.indexOf('5月名次')], '未发布');
  assert.notEqual(row[head.indexOf('承诺完成率(%)')], '—');
  const lead = wb.sheets[1].rows;
  assert.ok(lead[1].includes('走访率(%)'));
  assert.ok(lead.length > 2, 'the county leaders are listed');
  assert.equal((await as.hq.get('/assessment.xlsx?quarter=2026-Q5')).status, 422);
});
