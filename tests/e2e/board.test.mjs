// The dispatch board on screen, on the county's test clock: a report submitted through the API moves the
// dashboard's figure and shows up in the 入库纳统 card; the 挂图作战 page draws a project's nodes (and scrolls
// inside the chart, never the page, at 390 px); the 汇总表 page shows the period with its 合计 row and exports xlsx.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, DESKTOP, newPage, PHONE, signIn, startStack } from './browser.mjs';

// 10:00 on 3 March 2026 in the county: the February monthly report is due.
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, '2026-03-03T02:00:00Z\n');

let stack;
let hq;
let project;
before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = await apiClient(stack.server.url, 'hq');
  const list = await hq.get('/projects?page_size=200&sort=total_investment&order=desc');
  assert.equal(list.status, 200);
  project = list.body.items.find((p) => p.status !== 'cancelled' && p.total_investment >= 200_000_000);
  assert.ok(project, 'a demo project of at least 2 亿元');
});
after(async () => {
  await stack?.stop();
});

const yiOf = (text) => Number(text.replace(/[^\d.-]/g, ''));

test('the dashboard shows a new report\'s figure and flags it against the registered investment', async () => {
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  try {
    await signIn(page, 'hq');
    const done = page.getByTestId('board-done');
    await done.waitFor();
    const before = yiOf(await done.textContent());
    // 1 亿元 for February, the period due now; the statistics office registered only 5000 万.
    const r = await hq.post(`/projects/${project.id}/reports`, { investment: 100_000_000, percent: 20, progress: '主体施工' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const s = await hq.put(`/projects/${project.id}/statistics`, { registered: true, months: [{ month: '2026-02', amount: 50_000_000 }] });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    await page.reload();
    await done.waitFor();
    await page.waitForFunction(([b]) => {
      const t = document.querySelector('[data-testid="board-done"]')?.textContent || '';
      return Math.abs(Number(t.replace(/[^\d.-]/g, '')) - (b + 1)) < 0.005;
    }, [before]);
    assert.ok(Math.abs(yiOf(await done.textContent()) - (before + 1)) < 0.005, 'the figure moved by 1.00 亿元');
    const row = page.getByTestId('gaps-row').filter({ hasText: project.name });
    await row.waitFor();
    assert.match(await row.textContent(), /50\.00%/, 'reported runs 50% ahead of registered');
    await page.getByTestId('gaps-all').click();
    await page.waitForURL(/\/statistics\/gaps/);
    await page.getByTestId('gaps-table').getByText(project.name).waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a city user drills down from the by-county table to the county', async () => {
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  try {
    await signIn(page, 'city');
    const drill = page.getByTestId('board-drill').first();
    await drill.waitFor();
    await drill.click();
    await page.waitForURL(/region=\d{6}/);
    await page.getByTestId('gaps-card').waitFor();
    await page.getByTestId('board-up').waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the Gantt page draws a project\'s nodes, and on a phone only the chart scrolls sideways', async () => {
  const g = await hq.get(`/board/gantt?q=${encodeURIComponent(project.name)}`);
  assert.equal(g.status, 200);
  const nodes = g.body.items.find((p) => p.id === project.id).nodes;
  assert.ok(nodes.length > 0, 'the demo project has node plans');
  for (const viewport of [DESKTOP, PHONE]) {
    const page = await newPage(stack.browser, stack.server.url, viewport);
    try {
      await signIn(page, 'hq');
      await page.goto(`/board/gantt?q=${encodeURIComponent(project.name)}`);
      const proj = page.getByTestId('gantt-project').filter({ hasText: project.name });
      await proj.waitFor();
      assert.equal(await page.getByTestId('gantt-node').count(), nodes.length);
      for (const n of nodes) await page.getByTestId('gantt-node').filter({ hasText: n.name }).first().waitFor();
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: window.innerWidth,
        chart: document.querySelector('[data-testid="gantt"]').scrollWidth,
        box: document.querySelector('[data-testid="gantt"]').clientWidth,
      }));
      assert.ok(widths.page <= widths.view, `the page does not scroll sideways: ${JSON.stringify(widths)}`);
      if (viewport === PHONE) assert.ok(widths.chart > widths.box, 'the chart scrolls inside its box');
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  }
});

test('the summary page shows the period with its 合计 row and exports the xlsx', async () => {
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  try {
    await signIn(page, 'hq');
    await page.goto('/reports/summary?cadence=month&period=2026-02');
    const table = page.getByTestId('summary-table');
    await table.getByText(project.name).waitFor();
    const sum = await hq.get('/periods/month/2026-02/summary');
    const totalWan = (sum.body.totals.period_investment / 10000).toFixed(2);
    const shown = (await page.getByTestId('summary-total-period').textContent()).replace(/,/g, '');
    assert.equal(shown, totalWan);
    assert.match(await page.getByTestId('summary-total').textContent(), /合计/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('summary-export').click()]);
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
    const file = await dl.path();
    const head = fs.readFileSync(file).subarray(0, 2).toString();
    assert.equal(head, 'PK', 'a zip (xlsx) file');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
