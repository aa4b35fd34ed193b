// Progress reporting end to end on the county's test clock: a liaison reports from a phone (390 px), headquarters
// returns the report from the 填报管理 desk, the liaison finds the reason through the inbox badge and resubmits.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sqlExec } from '../api/harness.mjs';
import { apiClient, DESKTOP, field, newPage, PHONE, signIn, startStack } from './browser.mjs';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/photos');

// 10:00 on 3 March 2026 in the county: the February monthly report is due (by 5 March 18:00).
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, '2026-03-03T02:00:00Z\n');

let stack;
let project;
before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const hq = await apiClient(stack.server.url, 'hq');
  const list = await hq.get('/projects?page_size=200&sort=total_investment&order=desc');
  assert.equal(list.status, 200);
  project = list.body.items.find((p) => p.unit_name === '县工业和信息化局' && p.status !== 'cancelled');
  assert.ok(project, 'a demo project of 县工业和信息化局');
  // The demo liaison reports on this project.
  sqlExec(stack.server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
});
after(async () => {
  await stack?.stop();
});

const formItem = (page, testid) => page.locator('.el-form-item', { has: page.getByTestId(testid) });
const badge = (page) => page.locator('[data-testid="inbox-badge"] .el-badge__content');

test('a liaison reports on a phone, headquarters returns it, the liaison sees the reason and resubmits', async () => {
  const phone = await newPage(stack.browser, stack.server.url, PHONE);
  const desk = await newPage(stack.browser, stack.server.url, DESKTOP);
  const api = await apiClient(stack.server.url, 'hq');
  try {
    const doneBefore = (await api.get('/dashboard')).body.board.totals.done;
    // --- The liaison on site: the period due is February; nothing reported yet, no messages.
    await signIn(phone, 'liaison');
    await phone.goto(`/projects/${project.id}?tab=report`);
    await phone.getByTestId('report-current').filter({ hasText: '2026年2月' }).or(phone.getByTestId('report-current').filter({ hasText: '2026-02' })).waitFor();
    assert.equal(await badge(phone).isVisible(), false, 'no unread messages yet');

    // A figure that passes the total investment comes back as the server's field error on the amount.
    const tooMuch = (BigInt(project.total_investment) / 10000n + 1n).toString();
    await field(phone, 'report-investment').fill(tooMuch);
    await field(phone, 'report-percent').fill('35');
    await phone.getByTestId('report-submit').click();
    await formItem(phone, 'report-investment').locator('.el-form-item__error').filter({ hasText: '超过项目总投资' }).waitFor();

    // 1200.5 万元 is sent as 12,005,000 yuan (string arithmetic, no float).
    await field(phone, 'report-investment').fill('1200.5');
    await phone.getByTestId('report-running-total').filter({ hasText: '1,200.50' }).waitFor();
    await field(phone, 'report-workers').fill('120');
    await field(phone, 'report-machines').fill('8');
    await field(phone, 'report-progress').fill('主体结构封顶，开始设备安装');
    await field(phone, 'report-next-plan').fill('完成设备安装调试');
    await field(phone, 'report-problems').fill('临时用电容量不足');
    // A site photo from the phone: uploaded at once, shown as its thumbnail, cited by the report.
    await phone.getByTestId('report-photo-input').setInputFiles(path.join(FIXTURES, 'exif-gps.jpg'));
    await phone.locator('.photos .photo img').first().waitFor();
    assert.ok(await phone.locator('.photos .photo img').first().evaluate((img) => img.complete && img.naturalWidth > 0), 'the thumbnail loads');
    await phone.getByTestId('report-submit').click();
    await phone.getByTestId('report-status-2026-02').filter({ hasText: '已报送' }).waitFor();
    const stored = (await api.get(`/projects/${project.id}/reports`)).body.items.find((r) => r.period === '2026-02');
    assert.equal(stored.investment, 12_005_000);
    assert.equal(stored.percent, 35);
    assert.equal(stored.workers, 120);
    assert.deepEqual(stored.problems, ['临时用电容量不足']);
    assert.equal(stored.photos.length, 1, 'the report cites the photo');
    assert.match(stored.photos[0].hash, /^[0-9a-f]{64}$/);
    // The form fits the phone: nothing wider than the screen.
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);

    // --- Headquarters sees the report on the desk's period list and returns it with a reason.
    await signIn(desk, 'hq');
    await desk.goto('/reports?tab=periods');
    await desk.getByTestId('period-view-2026-02').click();
    await desk.getByTestId(`line-return-${project.id}`).click();
    await field(desk, 'return-reason').fill('投资额与监理月报不符，请核实');
    await desk.getByTestId('return-submit').click();
    await desk.getByTestId('period-lines').getByText('已退回').waitFor();
    // The missing list does not count a returned report as missing (it was reported), but the status changed.
    assert.equal((await api.get(`/projects/${project.id}/reports`)).body.items[0].status, 'returned');

    // --- The liaison: the header badge counts the message; the report shows the reason; resubmit.
    await phone.goto(`/projects/${project.id}?tab=report`);
    await badge(phone).filter({ hasText: '1' }).waitFor();
    await phone.getByTestId('report-reason-2026-02').filter({ hasText: '投资额与监理月报不符' }).waitFor();
    await phone.getByTestId('report-returned-notice').waitFor();
    assert.equal(await field(phone, 'report-investment').inputValue(), '1200.5', 'the form holds the returned report');
    await field(phone, 'report-investment').fill('1100');
    await phone.getByTestId('report-submit').click();
    await phone.getByTestId('report-status-2026-02').filter({ hasText: '已报送' }).waitFor();
    const again = (await api.get(`/projects/${project.id}/reports`)).body.items.find((r) => r.period === '2026-02');
    assert.equal(again.status, 'submitted');
    assert.equal(again.investment, 11_000_000);
    assert.equal(again.return_reason, '');

    // --- The dashboard's 挂图作战 figure moves by the resubmitted 1,100 万元 (0.11 亿元).
    await desk.goto('/');
    await desk.waitForFunction((want) => {
      const t = document.querySelector('[data-testid="board-done"]')?.textContent || '';
      return Math.abs(Number(t.replace(/[^\d.-]/g, '')) - want) < 0.005;
    }, (doneBefore + 11_000_000) / 1e8);

    // --- The inbox: the message links to the project and reading it clears the badge.
    await phone.locator('.el-message').waitFor({ state: 'detached' }); // the toast sits over the header
    await phone.getByTestId('inbox-bell').click();
    await phone.waitForURL('**/inbox');
    const msg = phone.locator('[data-testid^="inbox-msg-"]').filter({ hasText: '退回原因' }).first();
    await msg.waitFor();
    await msg.click();
    await phone.waitForURL(new RegExp(`/projects/${project.id}\\?tab=report$`));
    await phone.getByTestId('report-current').waitFor();
    await badge(phone).waitFor({ state: 'hidden' }); // the badge is gone once the message is read

    // --- Headquarters reminds from the missing list; the unread count reaches the liaison.
    const missing = await api.get('/reports/missing?cadence=month');
    const remindedId = missing.body.by_unit[0].projects[0].id;
    sqlExec(stack.server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${remindedId}`);
    await desk.goto('/reports');
    await desk.getByTestId('desk-missing').filter({ hasText: String(missing.body.missing) }).waitFor();
    await desk.getByTestId(`remind-${remindedId}`).click();
    await desk.getByTestId(`remind-${remindedId}`).filter({ hasText: '已催报' }).waitFor();
    await phone.goto('/inbox');
    await badge(phone).filter({ hasText: '1' }).waitFor();
    await phone.getByTestId('inbox-read-all').click();
    await badge(phone).waitFor({ state: 'hidden' });

    assert.deepEqual(phone.errors, []);
    assert.deepEqual(desk.errors, []);
  } finally {
    await phone.context().close();
    await desk.context().close();
  }
});
