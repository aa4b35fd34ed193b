// The dispatch board (挂图作战) on the county's clock: investment done this year from the reports against the
// annual plan and the share of the year gone (时序进度), year on year, by chain; the city's roll-up and its
// drill-down to the county; the node-plan Gantt; the period summary table (汇总表) and its xlsx layout.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, startServer } from './harness.mjs';
import { readSheet } from './xlsx.mjs';

let server;
// 10:00 on 3 March 2026 in the county (day 62 of 365): the February report is due now.
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const setClock = (t) => fs.writeFileSync(clock, `${t}\n`);
const CHAIN = '挂图作战测试链';
let hq, city, project;

before(async () => {
  setClock('2026-03-03T02:00:00Z');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = new Client(server.url);
  city = new Client(server.url);
  await hq.login('hq');
  await city.login('city');
  const p = await hq.post('/projects', { name: '挂图作战测试项目', category: 'industrial', chain: CHAIN, total_investment: 500_000_000 });
  assert.equal(p.status, 201, show(p));
  project = p.body;
  const months = [10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000];
  const plan = await hq.put(`/projects/${project.id}/plan`, { year: 2026, annual: 100_000_000, months });
  assert.equal(plan.status, 200, show(plan));
  // Reports: this year 1000万 (Jan) + 1500万 (Feb, due now); last year 2000万 in February (inside the span to
  // 3 March 2025) and 700万 in December (outside it).
  for (const [period, investment] of [['2025-02', 20_000_000], ['2025-12', 7_000_000], ['2026-01', 10_000_000], [null, 15_000_000]]) {
    const body = { investment, percent: 10, progress: `形象进度${period ?? '本期'}`, workers: 10, machines: 1 };
    if (period) body.period = period;
    const r = await hq.post(`/projects/${project.id}/reports`, body);
    assert.ok(r.status === 201, `${period}: ${show(r)}`);
  }
});
after(async () => { await server?.stop(); });

test('the board sums this year\'s reports by chain against the plan, the time gone and last year', async () => {
  const r = await hq.get('/dashboard');
  assert.equal(r.status, 200, show(r));
  const b = r.body.board;
  assert.equal(b.year, 2026);
  assert.equal(b.today, '2026-03-03');
  assert.equal(b.time_bp, Math.floor(62 * 10000 / 365), 'day 62 of 365 in basis points');
  const line = b.by_chain.find((l) => l.key === CHAIN);
  assert.ok(line, show(r));
  assert.equal(line.count, 1);
  assert.equal(line.total_investment, 500_000_000);
  assert.equal(line.plan, 100_000_000);
  assert.equal(line.done, 25_000_000, 'January and February of 2026 only');
  assert.equal(line.completion_bp, 2500);
  assert.equal(line.behind, false, '25% done against 16.98% of the year');
  assert.equal(line.done_last, 20_000_000, 'last year up to 3 March only');
  assert.equal(line.yoy_bp, 2500, '+25% year on year');
  assert.equal(line.plan_last, 0);
  // The totals hold the same project: its figures are inside them, and every dimension adds up to the totals.
  for (const dim of ['by_chain', 'by_township', 'by_unit', 'by_category', 'by_stage']) {
    const sum = b[dim].reduce((s, l) => s + l.done, 0);
    assert.equal(sum, b.totals.done, `${dim} adds up`);
    assert.equal(b[dim].reduce((s, l) => s + l.count, 0), b.totals.count, `${dim} counts add up`);
  }
  assert.ok(b.totals.done >= 25_000_000);
  assert.equal(b.totals.completion_bp, b.totals.plan > 0 ? Math.floor(b.totals.done * 10000 / b.totals.plan) : null);
  assert.equal(b.by_county, undefined, 'a county has no counties below it');
});

test('a new report moves the figure; a later time makes the same figure fall behind', async () => {
  const before = (await hq.get('/dashboard')).body.board;
  const r = await hq.post(`/projects/${project.id}/reports`, { period: '2026-02', investment: 20_000_000, percent: 12 });
  assert.equal(r.status, 200, show(r));
  const afterUpdate = (await hq.get('/dashboard')).body.board;
  assert.equal(afterUpdate.by_chain.find((l) => l.key === CHAIN).done, 30_000_000);
  assert.equal(afterUpdate.totals.done - before.totals.done, 5_000_000);
});

test('the city sees its counties rolled up and drills down to one; out of scope and malformed codes are refused', async () => {
  const county = (await hq.get('/dashboard')).body;
  const up = await city.get('/dashboard');
  assert.equal(up.status, 200, show(up));
  assert.equal(up.body.board.totals.done, county.board.totals.done);
  const c = up.body.board.by_county.find((l) => l.key === county.region_code);
  assert.ok(c, show(up));
  assert.equal(c.done, county.board.totals.done);
  assert.equal(c.name, county.region_name);
  const down = await city.get(`/dashboard?region=${county.region_code}`);
  assert.equal(down.status, 200, show(down));
  assert.equal(down.body.region_code, county.region_code);
  assert.deepEqual(down.body.board.by_chain, county.board.by_chain);
  assert.equal(down.body.board.by_county, undefined);
  const out = await city.get('/dashboard?region=110101');
  assert.equal(out.status, 404, show(out));
  const up2 = await hq.get('/dashboard?region=430400');
  assert.equal(up2.status, 404, `a county cannot look up to its city: ${show(up2)}`);
  const bad = await city.get('/dashboard?region=43x');
  assert.equal(bad.status, 422, show(bad));
  assert.deepEqual(bad.body.error.fields, [{ field: 'region', reason: 'invalid' }]);
});

test('the Gantt pages the filtered projects with their nodes planned against actual', async () => {
  const nodes = await hq.put(`/projects/${project.id}/nodes`, { nodes: [
    { key: 'custom_a', name: '土地摘牌', planned_date: '2026-02-01', actual_date: null, unit_id: null, note: '' },
    { key: 'custom_b', name: '施工许可', planned_date: '2026-02-01', actual_date: '2026-02-10', unit_id: null, note: '' },
    { key: 'custom_c', name: '主体封顶', planned_date: '2026-09-30', actual_date: null, unit_id: null, note: '' },
  ] });
  assert.equal(nodes.status, 200, show(nodes));
  const g = await hq.get(`/board/gantt?chain=${encodeURIComponent(CHAIN)}`);
  assert.equal(g.status, 200, show(g));
  assert.equal(g.body.total, 1);
  assert.equal(g.body.items[0].id, project.id);
  assert.deepEqual(g.body.items[0].nodes.map((n) => [n.name, n.state]),
    [['土地摘牌', 'overdue'], ['施工许可', 'done_late'], ['主体封顶', 'planned']]);
  assert.deepEqual(g.body.range, { start: '2026-02-01', end: '2026-09-30' });
  const all = await hq.get('/board/gantt?page_size=5&page=2');
  assert.equal(all.status, 200, show(all));
  assert.ok(all.body.items.length <= 5);
  assert.equal(all.body.page, 2);
  const tooBig = await hq.get('/board/gantt?page_size=100000');
  assert.equal(tooBig.status, 422, show(tooBig));
});

test('the summary table of a period lists every project with the 合计, and its xlsx has the layout sent upward', async () => {
  const s = await hq.get('/periods/month/2026-02/summary');
  assert.equal(s.status, 200, show(s));
  const line = s.body.items.find((l) => l.project_id === project.id);
  assert.ok(line, show(s));
  assert.equal(line.period_investment, 20_000_000);
  assert.equal(line.year_total, 30_000_000);
  assert.equal(line.running_total, 57_000_000, 'every report up to the end of February 2026');
  assert.equal(line.plan, 100_000_000);
  assert.equal(line.completion_bp, 3000);
  const sum = (k) => s.body.items.reduce((a, l) => a + (l[k] ?? 0), 0);
  assert.equal(s.body.totals.period_investment, sum('period_investment'));
  assert.equal(s.body.totals.year_total, sum('year_total'));
  assert.equal(s.body.totals.projects, s.body.items.length);

  const x = await hq.get('/periods/month/2026-02/summary.xlsx');
  assert.equal(x.status, 200, show(x));
  const sheet = readSheet(x.raw);
  assert.match(sheet.rows[0][0], /2026年2月.*汇总表/);
  assert.ok(sheet.rows[1].includes('单位：万元'), JSON.stringify(sheet.rows[1]));
  assert.match(sheet.rows[1][0], /^填报单位：/);
  assert.equal(sheet.rows[2][6], '投资完成情况');
  assert.deepEqual(sheet.rows[3].slice(6, 10), ['本期完成', '本年累计完成', '开工累计完成', '年度计划完成率（%）']);
  for (const m of ['A1:L1', 'A3:A4', 'B3:B4', 'G3:J3', 'K3:K4']) assert.ok(sheet.merges.includes(m), `${m} in ${sheet.merges}`);
  const rows = sheet.rows.slice(4);
  assert.equal(rows.length, s.body.items.length + 1, 'one row per project and the 合计 row');
  const mine = rows.find((r) => r[1] === '挂图作战测试项目');
  assert.deepEqual(mine.slice(4, 10).map(Number), [50000, 10000, 2000, 3000, 5700, 30]);
  const total = rows.at(-1);
  assert.equal(total[0], '合计');
  assert.equal(Number(total[6]) * 10000, s.body.totals.period_investment);
  assert.ok(sheet.merges.includes(`A${sheet.rows.length}:D${sheet.rows.length}`), sheet.merges.join());

  const bad = await hq.get('/periods/month/2026-13/summary');
  assert.equal(bad.status, 422, show(bad));
  const city2 = await city.get('/periods/month/2026-02/summary');
  assert.equal(city2.status, 422, `a city picks a county: ${show(city2)}`);
  assert.deepEqual(city2.body.error.fields, [{ field: 'region', reason: 'county_required' }]);
  const drill = await city.get(`/periods/month/2026-02/summary?region=${project.region_code}`);
  assert.equal(drill.status, 200, show(drill));
  assert.deepEqual(drill.body.totals, s.body.totals);
});

test('later in the year the same figure falls behind the time gone (last: the clock moves on)', async () => {
  setClock('2026-07-01T02:00:00Z'); // day 182: 49.86% of the year gone, 30% of the plan done
  const late = new Client(server.url);
  await late.login('hq');
  const later = (await late.get('/dashboard')).body.board;
  const line = later.by_chain.find((l) => l.key === CHAIN);
  assert.equal(later.time_bp, Math.floor(182 * 10000 / 365));
  assert.equal(line.completion_bp, 3000);
  assert.equal(line.behind, true);
  assert.equal(line.done_last, 20_000_000, 'last year up to 1 July: February 2025, not December');
});
