// The problem list's closed loop end to end (问题清单): a liaison raises a problem with a site photo from the
// project's 问题 tab, headquarters accepts it and assigns it (交办) to 县工业和信息化局, the unit finds it through its
// inbox, starts and solves it, and the liaison rates it four stars: it shows 已评价关闭 with the whole timeline.
// A report's problem turns into a problem in one step (转为问题), its source the report.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sqlExec } from '../api/harness.mjs';
import { apiClient, DESKTOP, field, newPage, PHONE, signIn, startStack } from './browser.mjs';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/photos');
// 10:00 on Monday 2 November 2026 in the county.
const NOW = '2026-11-02T02:00:00Z';
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, `${NOW}\n`);

let stack;
let project; // an active project of 县工业和信息化局 (the demo user `unit`), the demo liaison its liaison
before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const hq = await apiClient(stack.server.url, 'hq');
  const list = await hq.get('/projects?page_size=200&sort=total_investment&order=desc');
  assert.equal(list.status, 200);
  project = list.body.items.find((p) => p.unit_name === '县工业和信息化局' && p.status === 'active');
  assert.ok(project, 'an active demo project of 县工业和信息化局');
  sqlExec(stack.server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
});
after(async () => {
  await stack?.stop();
});

async function choose(page, testid, name) {
  await page.getByTestId(testid).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
}
async function act(page, action) {
  await page.getByTestId(`problem-act-${action}`).click();
}
const status = (page, text) => page.getByTestId('problem-status').filter({ hasText: text }).waitFor();

test('a liaison raises a problem with a photo, headquarters assigns it, the unit solves it, the raiser rates it', async () => {
  const title = `施工用电增容未落实 ${Date.now() % 100000}`;
  const liaison = await newPage(stack.browser, stack.server.url, DESKTOP);
  const hq = await newPage(stack.browser, stack.server.url, DESKTOP);
  const unit = await newPage(stack.browser, stack.server.url, PHONE);
  for (const p of [liaison, hq, unit]) await p.clock.setFixedTime(new Date(NOW));
  let id;
  try {
    // --- The liaison raises it from the project's 问题 tab, with a site photo.
    await signIn(liaison, 'liaison');
    await liaison.goto(`/projects/${project.id}?tab=problems`);
    await liaison.getByTestId('project-problem-new').click();
    const dlg = liaison.getByTestId('raise-dialog');
    await field(liaison, 'raise-title').fill(title);
    await field(liaison, 'raise-description').fill('需要110千伏专线，供电公司尚未排期');
    await choose(liaison, 'raise-category', '用能');
    await liaison.getByTestId('raise-photo-input').setInputFiles(path.join(FIXTURES, 'plain.png'));
    await dlg.locator('.photo img').waitFor();
    await liaison.getByTestId('raise-save').click();
    await liaison.waitForURL(/\/problems\/\d+$/);
    id = Number(new URL(liaison.url()).pathname.split('/').pop());
    await status(liaison, '已提出');
    assert.equal((await liaison.getByTestId('problem-title').textContent()).trim(), title);
    await liaison.getByTestId('problem-evidence').locator('img').first().waitFor();
    assert.equal(await liaison.getByTestId('problem-actions').locator('button').count(), 0, 'the raiser has nothing to do yet');

    // --- Headquarters finds it in the list, accepts it and assigns it to 县工业和信息化局.
    await signIn(hq, 'hq');
    await hq.getByTestId('nav-problems').click();
    await hq.waitForURL('**/problems');
    await hq.getByTestId(`problem-row-${id}`).click();
    await hq.waitForURL(`**/problems/${id}`);
    await act(hq, 'accept');
    await status(hq, '已受理');
    await act(hq, 'assign');
    // The lead unit is required: the dialog says so before anything is sent.
    await hq.getByTestId('problem-dialog-ok').click();
    await hq.getByTestId('problem-dialog').getByText('请选择牵头单位').waitFor();
    await choose(hq, 'assign-lead', '县工业和信息化局');
    await field(hq, 'problem-note').fill('请3日内反馈，7日内办结');
    await hq.getByTestId('problem-dialog-ok').click();
    await status(hq, '已交办');
    assert.equal((await hq.getByTestId('problem-lead').textContent()).trim(), '县工业和信息化局');
    await hq.getByTestId('problem-due').waitFor();

    // --- The unit (on a phone) opens it from its inbox, starts and solves it.
    await signIn(unit, 'unit');
    await unit.goto('/inbox');
    await unit.locator('[data-testid^="inbox-problem-"]').first().waitFor();
    await unit.locator('.msg', { hasText: `交办问题：${title}` }).click();
    await unit.waitForURL(`**/problems/${id}`);
    await status(unit, '已交办');
    await act(unit, 'start');
    await status(unit, '办理中');
    await act(unit, 'solve');
    // The solution is required.
    await unit.getByTestId('problem-dialog-ok').click();
    await unit.getByTestId('problem-dialog').getByText('请填写办结情况').waitFor();
    await field(unit, 'problem-note').fill('供电公司已完成专线接入，11月2日送电');
    await unit.getByTestId('problem-dialog-ok').click();
    await status(unit, '已办结');
    await unit.getByTestId('problem-solution').filter({ hasText: '专线接入' }).waitFor();

    // --- The liaison is told, rates it four stars and closes it.
    await liaison.goto('/problems?scope=mine');
    await liaison.getByTestId(`problem-row-${id}`).click();
    await liaison.waitForURL(`**/problems/${id}`);
    await status(liaison, '已办结');
    await act(liaison, 'close');
    await liaison.getByTestId('close-rating').locator('.el-rate__item').nth(3).click();
    await field(liaison, 'close-comment').fill('响应及时');
    await liaison.getByTestId('problem-dialog-ok').click();
    await status(liaison, '已评价关闭');
    await liaison.getByTestId('problem-rating').locator('.el-rate__icon.is-active, .el-rate__item .is-active').first().waitFor();
    const timeline = liaison.getByTestId('problem-timeline');
    const steps = await timeline.locator('.el-timeline-item').allTextContents();
    assert.equal(steps.length, 6, steps.join(' | '));
    for (const [i, label] of ['提出', '受理', '交办', '开始办理', '办结', '评价关闭'].entries()) assert.match(steps[i], new RegExp(label), steps[i]);
    assert.match(steps[2], /请3日内反馈/);
    assert.match(steps[4], /专线接入/);
    assert.match(steps[5], /响应及时/);
    // The server agrees.
    const api = await apiClient(stack.server.url, 'hq');
    const p = (await api.get(`/problems/${id}`)).body;
    assert.equal(p.status, 'closed');
    assert.equal(p.rating, 4);
    assert.equal(p.rating_comment, '响应及时');
    assert.equal(p.evidence.length, 1);
    assert.deepEqual(p.timeline.map((e) => e.action), ['raise', 'accept', 'assign', 'start', 'solve', 'close']);
    for (const pg of [liaison, hq, unit]) assert.deepEqual(pg.errors, []);
  } finally {
    for (const p of [liaison, hq, unit]) await p.context().close();
  }
});

test('one of a report\'s problems becomes a problem in one step, its source the report', async () => {
  const api = await apiClient(stack.server.url, 'liaison');
  const due = (await api.get(`/projects/${project.id}/reports`)).body.current;
  assert.ok(due, 'a period is due');
  const r = await api.post(`/projects/${project.id}/reports`, { percent: 35, investment: 1_000_000, progress: '主体施工', workers: 50, machines: 3, next_plan: '封顶', problems: ['临时道路未硬化', '塔吊基础验收滞后'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'liaison');
    await page.goto(`/projects/${project.id}?tab=report`);
    await page.getByTestId(`report-to-problem-${r.body.period}-1`).click();
    assert.equal(await field(page, 'raise-title').inputValue(), '塔吊基础验收滞后');
    await page.getByTestId('raise-save').click();
    await page.waitForURL(/\/problems\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const p = (await api.get(`/problems/${id}`)).body;
    assert.equal(p.source, 'report');
    assert.equal(p.source_id, r.body.id);
    assert.equal(p.project.id, project.id);
    await page.getByText('进度填报').first().waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a step someone else already took is refused with the server\'s Chinese message and the page catches up', async () => {
  const liaison = await apiClient(stack.server.url, 'liaison');
  const hqApi = await apiClient(stack.server.url, 'hq');
  const raised = await liaison.post('/problems', { title: '临时道路未硬化', category: 'other', project_id: project.id });
  assert.equal(raised.status, 201, JSON.stringify(raised.body));
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'hq');
    await page.goto(`/problems/${raised.body.id}`);
    await status(page, '已提出');
    // Another headquarters officer accepts it first.
    assert.equal((await hqApi.post(`/problems/${raised.body.id}/accept`, {})).status, 200);
    await act(page, 'accept');
    const msg = page.locator('.el-message--error').first();
    await msg.waitFor();
    assert.match(await msg.textContent(), /[\u4e00-\u9fff]/);
    await status(page, '已受理');
    await page.getByTestId('problem-act-assign').waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
