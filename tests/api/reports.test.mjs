// Progress reporting on the county's clock: submit, update, return and resubmit; close and reopen a period and
// its frozen figures; the missing list at and after the deadline; reminders; statistics registration.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runSteward, show, sqlExec, startServer } from './harness.mjs';

let server;
// 10:00 on 3 March 2026 in the county: the monthly report for February is due by 5 March 18:00 (10:00Z).
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const testClock = ['--clock-file', clock, '--allow-test-clock'];
const setClock = (t) => fs.writeFileSync(clock, `${t}\n`);
let hq, liaison, unit;
let project; // a project of 县工业和信息化局 whose liaison is the demo user "liaison"
let reportId;

async function signInAll() {
  hq = new Client(server.url);
  liaison = new Client(server.url);
  unit = new Client(server.url);
  await hq.login('hq');
  await liaison.login('liaison');
  await unit.login('unit');
}

before(async () => {
  setClock('2026-03-03T02:00:00Z');
  server = await startServer({ extraArgs: testClock });
  await signInAll();
  const list = await hq.get('/projects?page_size=200&sort=total_investment&order=desc');
  assert.equal(list.status, 200, show(list));
  project = list.body.items.find((p) => p.unit_name === '县工业和信息化局' && p.status !== 'cancelled');
  assert.ok(project, 'a demo project of 县工业和信息化局');
  sqlExec(server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
});
after(async () => { await server?.stop(); });

const report = (over = {}) => ({
  investment: 12_000_000, percent: 35, progress: '主体结构封顶，开始设备安装', workers: 120, machines: 8,
  next_plan: '完成设备安装调试', problems: ['临时用电容量不足'], ...over,
});

test('a liaison submits the report due now; a second one for the period updates it, audited', async () => {
  const first = await liaison.post(`/projects/${project.id}/reports`, report());
  assert.equal(first.status, 201, show(first));
  assert.equal(first.body.period, '2026-02', 'on 3 March the February report is due');
  assert.equal(first.body.running_total, 12_000_000);
  assert.deepEqual(first.body.problems, ['临时用电容量不足']);
  reportId = first.body.id;

  const second = await liaison.post(`/projects/${project.id}/reports`, report({ investment: 15_000_000, percent: 38 }));
  assert.equal(second.status, 200, show(second));
  assert.equal(second.body.id, reportId, 'the same report, not a duplicate');
  assert.equal(second.body.version, 2);
  assert.equal(second.body.running_total, 15_000_000, 'the running total is derived from the reports');

  const list = await liaison.get(`/projects/${project.id}/reports`);
  assert.equal(list.status, 200, show(list));
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.reported_total, 15_000_000);

  const audit = await hq.get(`/audit?entity=progress_report&entity_id=${reportId}`);
  assert.equal(audit.status, 200, show(audit));
  const update = audit.body.items.find((e) => e.action === 'update');
  assert.ok(update, show(audit));
  const b = typeof update.before === 'string' ? JSON.parse(update.before) : update.before;
  const a = typeof update.after === 'string' ? JSON.parse(update.after) : update.after;
  assert.equal(b.investment, 12_000_000);
  assert.equal(a.investment, 15_000_000);
});

test('validation names the field: negative, percent, a future period, passing the total investment', async () => {
  const neg = await liaison.post(`/projects/${project.id}/reports`, report({ investment: -1 }));
  assert.equal(neg.status, 422, show(neg));
  assert.deepEqual(neg.body.error.fields, [{ field: 'investment', reason: 'negative' }]);
  const pct = await liaison.post(`/projects/${project.id}/reports`, report({ percent: 101 }));
  assert.equal(pct.status, 422, show(pct));
  assert.deepEqual(pct.body.error.fields, [{ field: 'percent', reason: 'out_of_range' }]);
  const future = await liaison.put(`/projects/${project.id}/reports/2026-04`, report());
  assert.equal(future.status, 422, show(future));
  assert.equal(future.body.error.code, 'future_period');
  const wrong = await liaison.put(`/projects/${project.id}/reports/2026-W09`, report());
  assert.equal(wrong.status, 422, show(wrong));
  assert.deepEqual(wrong.body.error.fields, [{ field: 'period', reason: 'wrong_cadence' }]);
  // January: 15,000,000 already reported for February, so the whole total for January passes it.
  const over = await liaison.put(`/projects/${project.id}/reports/2026-01`, report({ investment: project.total_investment }));
  assert.equal(over.status, 422, show(over));
  assert.equal(over.body.error.code, 'exceeds_total_investment');
  assert.deepEqual(over.body.error.fields, [{ field: 'investment', reason: 'exceeds_total_investment' }]);
  const list = await liaison.get(`/projects/${project.id}/reports`);
  assert.equal(list.body.items.length, 1, 'nothing partial was written');
  const exact = await liaison.put(`/projects/${project.id}/reports/2026-01`,
    report({ investment: project.total_investment - 15_000_000 }));
  assert.equal(exact.status, 201, `up to the total is allowed: ${show(exact)}`);
  const del = await hq.put(`/projects/${project.id}/reports/2026-01`, report({ investment: 3_000_000 }));
  assert.equal(del.status, 200, show(del));
});

test('headquarters returns a report with a reason; the liaison sees it and resubmits', async () => {
  const noReason = await hq.post(`/reports/${reportId}/return`, {});
  assert.equal(noReason.status, 422, show(noReason));
  const byUnit = await unit.post(`/reports/${reportId}/return`, { reason: '数据有误' });
  assert.equal(byUnit.status, 403, show(byUnit));
  const unreadBefore = (await liaison.get('/inbox/unread')).body.unread;
  const ret = await hq.post(`/reports/${reportId}/return`, { reason: '投资额与监理月报不符，请核实' });
  assert.equal(ret.status, 200, show(ret));
  assert.equal(ret.body.status, 'returned');

  const inbox = await liaison.get('/inbox');
  assert.equal(inbox.status, 200, show(inbox));
  assert.equal(inbox.body.unread, unreadBefore + 1);
  const msg = inbox.body.items[0];
  assert.equal(msg.kind, 'report_returned');
  assert.match(msg.body, /监理月报/);
  assert.equal(msg.link, `/projects/${project.id}?tab=report`);
  const mine = (await liaison.get(`/projects/${project.id}/reports`)).body.items.find((r) => r.id === reportId);
  assert.equal(mine.status, 'returned');
  assert.equal(mine.return_reason, '投资额与监理月报不符，请核实');

  const again = await liaison.put(`/projects/${project.id}/reports/2026-02`, report({ investment: 14_000_000 }));
  assert.equal(again.status, 200, show(again));
  assert.equal(again.body.status, 'submitted');
  assert.equal(again.body.return_reason, '');

  // Reading the message: only the owner can mark it.
  assert.equal((await hq.post(`/inbox/${msg.id}/read`)).status, 404);
  const read = await liaison.post(`/inbox/${msg.id}/read`);
  assert.equal(read.status, 200, show(read));
  assert.equal(read.body.unread, unreadBefore);
});

test('the missing list at and after the deadline, grouped by unit and township; reminders once per period', async () => {
  setClock('2026-03-05T10:00:00Z'); // 18:00 on the 5th: the deadline itself
  await signInAll();
  const at = await hq.get('/reports/missing?cadence=month');
  assert.equal(at.status, 200, show(at));
  assert.equal(at.body.period.key, '2026-02');
  assert.equal(at.body.period.state, 'due');
  assert.equal(at.body.period.deadline, '2026-03-05T10:00:00Z');
  const ids = at.body.by_unit.flatMap((g) => g.projects.map((p) => p.id));
  assert.ok(!ids.includes(project.id), 'a project that reported is not missing');
  assert.equal(at.body.missing, ids.length);
  assert.equal(at.body.reported + at.body.missing, at.body.projects_due);
  assert.ok(at.body.missing > 0);
  assert.equal(at.body.by_township.flatMap((g) => g.projects).length, at.body.missing);
  assert.ok(at.body.by_unit.some((g) => g.name === '县交通运输局'), show(at));

  const none = runSteward(['remind', '--db', server.dbUrl, '--as-of', '2026-03-05T10:00:00Z']);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /reminders sent: 0,/, 'at the deadline nothing is overdue yet');

  setClock('2026-03-05T10:00:01Z');
  await signInAll();
  const late = await hq.get('/reports/missing?cadence=month');
  assert.equal(late.body.period.state, 'overdue');
  assert.equal(late.body.missing, at.body.missing);

  const sent = runSteward(['remind', '--db', server.dbUrl, '--as-of', '2026-03-05T10:00:01Z']);
  assert.equal(sent.code, 0, sent.stderr);
  const n = Number(/reminders sent: (\d+)/.exec(sent.stdout)[1]);
  assert.ok(n > 0, sent.stdout);
  const withLiaison = late.body.by_unit.flatMap((g) => g.projects).filter((p) => p.liaison_id !== null).length;
  assert.equal(n, withLiaison, 'one reminder per missing project with a liaison');
  const twice = runSteward(['remind', '--db', server.dbUrl, '--as-of', '2026-03-05T11:00:00Z']);
  assert.match(twice.stdout, new RegExp(`reminders sent: 0, already sent before: ${n}`), 'idempotent per period and project');

  const bad = await hq.get('/reports/missing?cadence=fortnight');
  assert.equal(bad.status, 422, show(bad));
});

test('one-click reminder from headquarters reaches the liaison\'s inbox', async () => {
  const before = (await liaison.get('/inbox/unread')).body.unread;
  assert.equal((await unit.post(`/projects/${project.id}/remind`)).status, 403);
  const r = await hq.post(`/projects/${project.id}/remind`);
  assert.equal(r.status, 201, show(r));
  assert.equal((await liaison.get('/inbox/unread')).body.unread, before + 1);
  const all = await liaison.post('/inbox/read-all');
  assert.equal(all.body.unread, 0);
});

test('closing a period freezes its figures; reports for it are refused until headquarters reopens it', async () => {
  setClock('2026-03-06T02:00:00Z');
  await signInAll();
  const early = await hq.post('/periods/month/2026-03/close');
  assert.equal(early.status, 409, show(early));
  assert.equal((await unit.post('/periods/month/2026-02/close')).status, 403);
  const closed = await hq.post('/periods/month/2026-02/close');
  assert.equal(closed.status, 200, show(closed));
  assert.equal(closed.body.status, 'closed');
  const line = closed.body.figures.lines.find((l) => l.project_id === project.id);
  assert.equal(line.investment, 14_000_000);
  const frozenTotal = line.running_total;
  assert.equal(frozenTotal, 3_000_000 + 14_000_000);

  const refused = await liaison.put(`/projects/${project.id}/reports/2026-02`, report({ investment: 1 }));
  assert.equal(refused.status, 422, show(refused));
  assert.equal(refused.body.error.code, 'period_closed');
  assert.deepEqual(refused.body.error.fields, [{ field: 'period', reason: 'period_closed' }]);

  // March is now the period due; its report moves the running total, the closed February does not move.
  const march = await liaison.post(`/projects/${project.id}/reports`, report({ investment: 5_000_000 }));
  assert.equal(march.status, 201, show(march));
  assert.equal(march.body.period, '2026-03');
  assert.equal(march.body.running_total, frozenTotal + 5_000_000);
  sqlExec(server.dbUrl, `UPDATE progress_reports SET investment = 1 WHERE id = ${reportId}`); // even behind our back
  const feb = await hq.get('/periods/month/2026-02');
  assert.equal(feb.status, 200, show(feb));
  assert.equal(feb.body.frozen, true);
  const frozen = feb.body.figures.lines.find((l) => l.project_id === project.id);
  assert.equal(frozen.running_total, frozenTotal);
  assert.equal(frozen.investment, 14_000_000);
  sqlExec(server.dbUrl, `UPDATE progress_reports SET investment = 14000000 WHERE id = ${reportId}`);

  const noReason = await hq.post('/periods/month/2026-02/reopen', { reason: '' });
  assert.equal(noReason.status, 422, show(noReason));
  assert.equal((await unit.post('/periods/month/2026-02/reopen', { reason: '更正' })).status, 403);
  const reopened = await hq.post('/periods/month/2026-02/reopen', { reason: '统计局核对后更正二月数据' });
  assert.equal(reopened.status, 200, show(reopened));
  assert.equal(reopened.body.status, 'open');
  assert.equal(reopened.body.reopen_reason, '统计局核对后更正二月数据');
  const audit = await hq.get('/audit?entity=report_period&entity_id=month%2F2026-02');
  assert.deepEqual(audit.body.items.map((e) => e.action).sort(), ['close', 'reopen']);
  const fixed = await liaison.put(`/projects/${project.id}/reports/2026-02`, report({ investment: 13_000_000 }));
  assert.equal(fixed.status, 200, show(fixed));
  const periods = await hq.get('/periods?cadence=month');
  assert.ok(periods.body.items.some((p) => p.key === '2026-02' && p.status === 'open'), show(periods));
});

test('statistics registration: reported against registered, flagged past the configured share', async () => {
  const reported = (await hq.get(`/projects/${project.id}/statistics`)).body.reported_total;
  assert.equal((await unit.put(`/projects/${project.id}/statistics`, { registered: true, months: [] })).status, 403);
  const low = await hq.put(`/projects/${project.id}/statistics`, {
    registered: true, months: [{ month: '2026-01', amount: 3_000_000 }, { month: '2026-02', amount: 5_000_000 }],
  });
  assert.equal(low.status, 200, show(low));
  assert.equal(low.body.registered, true);
  assert.equal(low.body.registered_total, 8_000_000);
  assert.equal(low.body.reported_total, reported);
  assert.equal(low.body.gap_threshold_bp, 1000);
  assert.equal(low.body.runs_ahead, true);
  const close = await hq.put(`/projects/${project.id}/statistics`, {
    registered: true, months: [{ month: '2026-02', amount: reported - Math.floor(reported / 10) }],
  });
  assert.equal(close.body.runs_ahead, false, 'within 10% of the reported figure');
  const bad = await hq.put(`/projects/${project.id}/statistics`, {
    registered: true, months: [{ month: '2026-13', amount: 1 }, { month: '2026-02', amount: -5 }],
  });
  assert.equal(bad.status, 422, show(bad));
  assert.deepEqual(bad.body.error.fields.map((f) => `${f.field}:${f.reason}`).sort(),
    ['months[0].month:invalid', 'months[1].amount:negative']);
});
