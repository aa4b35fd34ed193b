// Enterprise demands' 48-hour answer clock: the demand-clock job warns the lead unit and headquarters a few hours
// before the window closes and again once it has closed, once per demand; an answered demand is never warned; the
// figures count demands answered in time, answered late, open past their window, and the average hours to answer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, startServer } from './harness.mjs';
import { readWorkbook } from './xlsx.mjs';

const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-demands-')), 'now');
const names = ['hq', 'unit', 'enterprise'];
const as = {};
let server, unitId;

async function at(iso) {
  fs.writeFileSync(clock, `${iso}\n`);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
async function eventually(probe, what) {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const notices = async (who, kind, title) => {
  const r = await as[who].get('/inbox?limit=100');
  assert.equal(r.status, 200, show(r));
  const re = kind === 'expiring' ? /^企业诉求即将超过答复时限：/ : /^企业诉求已超过答复时限：/;
  return r.body.items.filter((m) => re.test(m.title) && m.title.endsWith(title));
};
const answer = async (id) => {
  if ((await ok(as.hq.get(`/problems/${id}`))).status === 'raised') {
    await ok(as.hq.post(`/problems/${id}/accept`, {}));
    await ok(as.hq.post(`/problems/${id}/assign`, { lead_unit_id: unitId }));
  }
  await ok(as.unit.post(`/problems/${id}/start`, {}));
  return ok(as.unit.post(`/problems/${id}/solve`, { note: '已协调解决，书面答复企业' }));
};

before(async () => {
  fs.writeFileSync(clock, '2026-11-02T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock', '--remind-interval', '1'] });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = (await as.unit.get('/auth/me')).body;
  unitId = me.org_unit_id ?? me.user?.org_unit_id;
  assert.ok(unitId);
});
after(async () => { await server?.stop(); });

test('the demand clock warns before and after the 48 hours, once each; the figures keep the clock', async () => {
  // d1 at 10:00 on 2 November (county time), assigned at once; d2 eight hours later; d3 two hours after that.
  const d1 = await ok(as.enterprise.post('/problems', { title: '诉求甲：天然气接入', category: 'energy' }), 201);
  assert.equal(d1.demand.answer_due_at, '2026-11-04T02:00:00Z');
  await ok(as.hq.post(`/problems/${d1.id}/accept`, {}));
  await ok(as.hq.post(`/problems/${d1.id}/assign`, { lead_unit_id: unitId }));
  await at('2026-11-02T10:00:00Z');
  const d2 = await ok(as.enterprise.post('/problems', { title: '诉求乙：施工许可', category: 'approval' }), 201);
  await at('2026-11-02T12:00:00Z');
  const d3 = await ok(as.enterprise.post('/problems', { title: '诉求丙：用工招聘', category: 'labour' }), 201);

  // Five hours before d1's window closes: the lead unit and headquarters are warned; d2 (13 h left) is not.
  await at('2026-11-03T21:00:00Z');
  assert.equal((await ok(as.hq.get(`/problems/${d1.id}`))).demand.hours_left, 5);
  await eventually(async () => (await notices('unit', 'expiring', d1.title)).length === 1, 'd1 expiring to the unit');
  await eventually(async () => (await notices('hq', 'expiring', d1.title)).length === 1, 'd1 expiring to hq');
  assert.equal((await notices('hq', 'expiring', d2.title)).length, 0, 'd2 has 13 hours left');
  assert.equal((await notices('unit', 'expired', d1.title)).length, 0);

  // One hour past d1's window: the expired notice; d2 (7 h left) still quiet.
  await at('2026-11-04T03:00:00Z');
  await eventually(async () => (await notices('unit', 'expired', d1.title)).length === 1, 'd1 expired to the unit');
  await eventually(async () => (await notices('hq', 'expired', d1.title)).length === 1, 'd1 expired to hq');
  assert.equal((await notices('hq', 'expiring', d2.title)).length, 0, 'd2 has 7 hours left');
  assert.equal((await notices('unit', 'expiring', d2.title)).length, 0, 'd2 is not the unit\'s');

  // Five hours before d2's window: warned; d1's notices were not sent again by the runs since.
  await at('2026-11-04T05:00:00Z');
  await eventually(async () => (await notices('hq', 'expiring', d2.title)).length === 1, 'd2 expiring to hq');
  assert.equal((await notices('unit', 'expiring', d1.title)).length, 1, 'once per demand');
  assert.equal((await notices('unit', 'expired', d1.title)).length, 1, 'once per demand');
  assert.equal((await notices('hq', 'expired', d1.title)).length, 1, 'once per demand');

  // d2 answered in time (44 hours); the figures count it, and d1 open past its window.
  await at('2026-11-04T06:00:00Z');
  const a2 = await answer(d2.id);
  assert.equal(a2.demand.overdue, false);
  let f = (await ok(as.hq.get('/problems/figures?kind=demand'))).total.demand;
  assert.deepEqual(f, { count: 3, answered_in_time: 1, answered_late: 0, open_overdue: 1, avg_hours_to_answer: 44 });

  // d1 answered late (54 hours): (44 + 54) / 2 = 49 hours on average.
  await at('2026-11-04T08:00:00Z');
  await answer(d1.id);
  f = (await ok(as.hq.get('/problems/figures?kind=demand'))).total.demand;
  assert.deepEqual(f, { count: 3, answered_in_time: 1, answered_late: 1, open_overdue: 0, avg_hours_to_answer: 49 });
  const byUnit = (await ok(as.hq.get('/problems/figures?kind=demand'))).by_unit.find((u) => u.unit?.id === unitId);
  assert.equal(byUnit.demand.answered_late, 1);
  assert.equal(byUnit.demand.answered_in_time, 1);
  // The workbook carries the clock too: the total row's demand columns.
  const x = await as.hq.get('/problems/figures.xlsx?kind=demand');
  assert.equal(x.status, 200, show(x));
  const total = readWorkbook(x.raw).sheets[0].rows.at(-1);
  assert.equal(total[0], '合计');
  assert.deepEqual(total.slice(7).map(Number), [3, 1, 1, 0, 49]);

  // Past d3's window: d3 (never answered) is reported expired; d2, answered in time, never is.
  await at('2026-11-04T12:30:00Z');
  await eventually(async () => (await notices('hq', 'expired', d3.title)).length === 1, 'd3 expired to hq');
  assert.equal((await notices('hq', 'expired', d2.title)).length, 0, 'an answered demand is not warned');
  f = (await ok(as.hq.get('/problems/figures?kind=demand'))).total.demand;
  assert.equal(f.open_overdue, 1);
});
