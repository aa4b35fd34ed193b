// The monthly factor consultation (每月必商) and the four lists end to end at 1440 px: headquarters opens the month
// from the menu, arranges the meeting, fills in its day and minutes and marks it held (the factor problem raised
// beforehand is on the agenda, the other one is not), records a decision for a unit, sees it become a task, and
// finds that task in 四张清单's task list, whose workbook downloads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, DESKTOP, field, newPage, signIn, startStack } from './browser.mjs';

const NOW = '2026-11-25T02:00:00Z'; // Wednesday 25 November 2026, 10:00 in the county
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, `${NOW}\n`);

let stack;
before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
});
after(async () => {
  await stack?.stop();
});

test('headquarters holds the month\'s consultation, a decision becomes a task, and the task list shows it', async () => {
  const hq = await apiClient(stack.server.url, 'hq');
  const land = await hq.post('/problems', { title: '园区二期用地指标缺口', category: 'land' });
  assert.equal(land.status, 201);
  const other = await hq.post('/problems', { title: '施工噪声投诉', category: 'other' });
  assert.equal(other.status, 201);
  const unit = (await hq.get('/org-units')).body.items.find((u) => u.name === '县交通运输局');
  assert.ok(unit);

  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'hq');
    await page.getByTestId('nav-consultation').click();
    await page.waitForURL('**/consultation?month=2026-11');
    const agenda = page.getByTestId('consult-agenda');
    await agenda.getByText('园区二期用地指标缺口').waitFor();
    assert.equal(await agenda.getByText('施工噪声投诉').count(), 0, 'a non-factor problem is not on the agenda');

    await page.getByTestId('consult-create').click();
    await page.getByTestId('consult-meeting').waitFor();
    await field(page, 'consult-meeting-on').fill('2026-11-25');
    await field(page, 'consult-meeting-on').press('Enter');
    await field(page, 'consult-minutes').fill('会议研究了园区二期用地问题。');
    await page.getByTestId('consult-hold').click();
    await page.getByTestId('consult-meeting').getByText('已召开').waitFor();

    await field(page, 'decision-text').fill('12月10日前完成用地报批');
    await page.getByTestId('decision-owner').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '县交通运输局' }).click();
    await field(page, 'decision-due').fill('2026-12-10');
    await field(page, 'decision-due').press('Enter');
    await page.getByTestId('decision-add').click();
    const row = page.getByTestId('decision-table').locator('tr', { hasText: '12月10日前完成用地报批' });
    await row.getByText('县交通运输局').waitFor();
    await row.getByText('已交办').waitFor();

    const m = (await hq.get('/consultations?month=2026-11')).body.items[0];
    const full = (await hq.get(`/consultations/${m.id}`)).body;
    assert.equal(full.minutes, '会议研究了园区二期用地问题。');
    assert.equal(full.meeting_on, '2026-11-25');
    const task = full.decisions[0].task;
    assert.equal((await hq.get(`/problems/${task.id}`)).body.lead_unit.id, unit.id);
    assert.equal(await row.locator(`[data-testid="consult-task-${task.id}"]`).getAttribute('href'), `/problems/${task.id}`);

    await page.getByTestId('nav-lists').click();
    await page.waitForURL('**/lists**');
    await page.getByTestId('lists-tab-tasks').click();
    await page.getByTestId('lists-table').getByText('12月10日前完成用地报批').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lists-xlsx').click()]);
    const file = await download.path();
    assert.equal(fs.readFileSync(file).subarray(0, 2).toString(), 'PK');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
