// Inspection bulletins (督查通报) on the county's clock: generated from the figures of a span (a project started in
// the span, a report's investment, a letter issued, lights and overdue problems, all checked against the data),
// edited while a draft (version-checked), issued numbered per county and year (1, 2, then 1 again in the next
// year) and frozen; the PDF and the DOCX.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';

let server, hq, viewer;
let projectId;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
async function setDay(day) {
  fs.writeFileSync(clock, `${day}T02:00:00Z\n`);
  await hq.login('hq');
  await viewer.login('viewer');
}
const num = (s) => Number(s);
async function generate(start, end) {
  const r = await hq.post('/bulletins', { period_start: start, period_end: end });
  assert.equal(r.status, 201, show(r));
  return r.body;
}

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = new Client(server.url);
  viewer = new Client(server.url);
  await hq.login('hq');
  await viewer.login('viewer');
  projectId = num(sqlExec(server.dbUrl,
    "SELECT id FROM projects WHERE region_code = '430424' AND status = 'active' AND unit_id IS NOT NULL ORDER BY id LIMIT 1"));
  assert.ok(projectId > 0);
  // The project is due to start (planned 2026-11-01) and has not started.
  sqlExec(server.dbUrl, `UPDATE projects SET planned_start = '2026-11-01', actual_start = NULL WHERE id = ${projectId}`);
});
after(async () => { await server?.stop(); });

test('the figures follow the data: a start, a report, a letter; lights and overdue problems as the tables say', async () => {
  const b1 = await generate('2026-11-16', '2026-11-22');
  assert.equal(b1.status, 'draft');
  assert.equal(b1.number, '');
  assert.match(b1.title, /督查通报/);
  assert.ok(b1.paragraphs.length >= 5);
  const s1 = b1.sections;
  assert.ok(s1.projects.not_started.some((p) => p.id === projectId), 'due and not started: listed');
  const active = num(sqlExec(server.dbUrl, "SELECT COUNT(*) FROM projects WHERE region_code = '430424' AND status = 'active'"));
  assert.equal(s1.projects.total, active);
  const started = num(sqlExec(server.dbUrl,
    "SELECT COUNT(*) FROM projects WHERE region_code = '430424' AND status = 'active' AND actual_start <= '2026-11-22'"));
  assert.equal(s1.projects.started, started);
  for (const light of ['green', 'yellow', 'red']) {
    const n = num(sqlExec(server.dbUrl, `SELECT COUNT(*) FROM light_history h JOIN projects p ON p.id = h.project_id WHERE p.region_code = '430424' AND p.status = 'active' AND h.from_day <= '2026-11-22' AND h.to_day >= '2026-11-22' AND h.light = '${light}'`));
    assert.equal(s1.lights[light], n, light);
  }
  const overdueProblems = num(sqlExec(server.dbUrl, "SELECT COUNT(*) FROM problems q WHERE q.region_code = '430424' AND ((q.status = 'raised' AND q.feedback_due < '2026-11-22') OR (q.status IN ('accepted', 'assigned', 'in_progress') AND q.solve_due < '2026-11-22') OR (q.status = 'planned' AND q.next_feedback_due < '2026-11-22'))"));
  assert.equal(s1.problems.overdue, overdueProblems);

  // The project starts in the span, and reports 1,234,500 yuan for a week in it.
  sqlExec(server.dbUrl, `UPDATE projects SET actual_start = '2026-11-18' WHERE id = ${projectId}`);
  sqlExec(server.dbUrl, "INSERT INTO report_periods (region_code, cadence, period_key, start_day, end_day, status, created_at) VALUES ('430424', 'test', 'bulletin-1', '2026-11-16', '2026-11-22', 'open', '2026-11-23T00:00:00Z')");
  sqlExec(server.dbUrl, `INSERT INTO progress_reports (region_code, project_id, period_id, period_end, investment, percent, status, submitted_at, updated_at) SELECT '430424', ${projectId}, id, '2026-11-21', 1234500, 40, 'submitted', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z' FROM report_periods WHERE cadence = 'test' AND period_key = 'bulletin-1'`);
  const b2 = await generate('2026-11-16', '2026-11-22');
  const s2 = b2.sections;
  assert.equal(s2.projects.started, s1.projects.started + 1);
  assert.equal(s2.projects.started_in_period, s1.projects.started_in_period + 1);
  assert.ok(s2.projects.started_list.some((p) => p.id === projectId && p.actual_start === '2026-11-18'));
  assert.ok(!s2.projects.not_started.some((p) => p.id === projectId));
  assert.equal(s2.projects.due_to_start, s1.projects.due_to_start);
  assert.equal(s2.progress.investment_period, s1.progress.investment_period + 1234500);
  assert.equal(s2.progress.investment_year, s1.progress.investment_year + 1234500);
  assert.ok(b2.paragraphs.join('').includes('本期新开工'));

  // A supervision letter issued today counts in a span holding today, not in the week before.
  const before3 = (await generate('2026-11-23', '2026-11-25')).sections.letters;
  const l = await hq.post('/letters', { project_id: projectId, kind: 'supervision', facts: '进度滞后。' });
  assert.equal(l.status, 201, show(l));
  assert.equal((await hq.post(`/letters/${l.body.id}/issue`)).status, 200);
  const after3 = (await generate('2026-11-23', '2026-11-25')).sections.letters;
  assert.equal(after3.issued.supervision, before3.issued.supervision + 1);
  assert.equal(after3.issued_total, before3.issued_total + 1);
  assert.equal((await generate('2026-11-16', '2026-11-22')).sections.letters.issued.supervision, s2.letters.issued.supervision);
});

test('edited while a draft, version-checked; issued 1 and 2 in a year and frozen; 1 again the next year', async () => {
  const b = await generate('2026-11-09', '2026-11-15');
  const edited = await hq.put(`/bulletins/${b.id}`, { version: b.version, title: '第45周督查通报', paragraphs: ['第一段。', '第二段。'] });
  assert.equal(edited.status, 200, show(edited));
  assert.equal(edited.body.title, '第45周督查通报');
  assert.deepEqual(edited.body.paragraphs, ['第一段。', '第二段。']);
  assert.deepEqual(edited.body.sections, b.sections, 'the figures are not edited');
  const stale = await hq.put(`/bulletins/${b.id}`, { version: b.version, title: '旧版本' });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'version_conflict');
  // A viewer reads drafts but never edits or issues.
  assert.equal((await viewer.get(`/bulletins/${b.id}`)).status, 200);
  assert.equal((await viewer.post(`/bulletins/${b.id}/issue`)).status, 403);

  const first = await hq.post(`/bulletins/${b.id}/issue`);
  assert.equal(first.status, 200, show(first));
  assert.equal(first.body.status, 'issued');
  assert.equal(first.body.number, '重项通〔2026〕1号');
  assert.equal((await hq.put(`/bulletins/${b.id}`, { version: first.body.version, title: '改' })).status, 409);
  assert.equal((await hq.post(`/bulletins/${b.id}/issue`)).status, 409);
  const second = await hq.post(`/bulletins/${(await generate('2026-11-16', '2026-11-22')).id}/issue`);
  assert.equal(second.body.number, '重项通〔2026〕2号');

  const list = await hq.get('/bulletins?status=issued');
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 2);
  assert.ok((await hq.get('/bulletins?status=draft')).body.total >= 1);
  assert.equal((await hq.get('/bulletins?status=bogus')).status, 422);

  const audit = sqlExec(server.dbUrl, `SELECT action FROM audit_log WHERE entity = 'bulletin' AND entity_id = '${b.id}' ORDER BY id`);
  assert.deepEqual(audit.split('\n'), ['create', 'update', 'issue']);

  await setDay('2027-01-05');
  const next = await hq.post(`/bulletins/${(await generate('2026-12-28', '2027-01-03')).id}/issue`);
  assert.equal(next.body.number, '重项通〔2027〕1号');
});

test('the PDF and the DOCX of an issued bulletin', async () => {
  const issued = (await hq.get('/bulletins?status=issued')).body.items[0];
  const pdf = await hq.get(`/bulletins/${issued.id}/document.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.raw.subarray(0, 4).toString('latin1'), '%PDF');
  const docx = await hq.get(`/bulletins/${issued.id}/document.docx`);
  assert.equal(docx.status, 200);
  assert.equal(docx.raw.subarray(0, 2).toString('latin1'), 'PK');
});
