// Inspection bulletins (督查通报) end to end at 1440 px and on a 390 px phone: headquarters opens 督查通报 from the
// menu, generates last week's bulletin, sees the figures, edits its title and a paragraph, issues it after
// confirming (numbered, frozen: the editor is gone and the edited text is shown), and downloads the PDF; a unit on
// a phone reads the issued bulletin; an inspector on a phone records a visit finding of the 旬 and turns it into a
// problem.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, DESKTOP, field, newPage, PHONE, signIn, startStack } from './browser.mjs';

const NOW = '2026-11-25T02:00:00Z'; // Wednesday 25 November 2026, 10:00 in the county
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, `${NOW}\n`);

let stack;
let issuedId;
before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
});
after(async () => {
  await stack?.stop();
});

test('headquarters generates, edits and issues a bulletin, and downloads it', async () => {
  const hq = await apiClient(stack.server.url, 'hq');
  const issuedBefore = (await hq.get('/bulletins?status=issued')).body.total;
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'hq');
    await page.getByTestId('nav-bulletins').click();
    await page.waitForURL('**/bulletins');
    await page.getByTestId('bulletin-new').click();
    await page.getByTestId('bulletin-generate-dialog').waitFor();
    assert.equal(await field(page, 'bulletin-start').inputValue(), '2026-11-16', 'last week by default');
    assert.equal(await field(page, 'bulletin-end').inputValue(), '2026-11-22');
    await page.getByTestId('bulletin-generate').click();
    await page.waitForURL(/\/bulletins\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const api = (await hq.get(`/bulletins/${id}`)).body;
    assert.equal(api.period_start, '2026-11-16');
    await page.getByTestId('bulletin-figures').waitFor();
    assert.equal(await page.getByTestId('fig-start-rate').textContent(), `${api.sections.projects.start_rate}%`);
    assert.equal(await page.getByTestId('bulletin-status').textContent(), '草稿');

    await field(page, 'bulletin-edit-title').fill('第47周重点项目督查通报');
    await field(page, 'bulletin-para-0').fill('县重点项目建设指挥部办公室对全县重点项目进行了督查，现通报如下：');
    await page.getByTestId('bulletin-save').click();
    await page.getByTestId('bulletin-title').getByText('第47周重点项目督查通报').waitFor();

    await page.getByTestId('bulletin-issue').click();
    await page.locator('.el-message-box').getByRole('button', { name: '印发' }).click();
    await page.getByTestId('bulletin-status').getByText('已印发').waitFor();
    const number = await page.getByTestId('bulletin-number').textContent();
    assert.equal(number, `重项通〔2026〕${issuedBefore + 1}号`);
    assert.equal(await page.getByTestId('bulletin-save').count(), 0, 'frozen: no editor');
    await page.getByTestId('bulletin-doc').getByText('对全县重点项目进行了督查').waitFor();
    const after = (await hq.get(`/bulletins/${id}`)).body;
    assert.equal(after.status, 'issued');
    assert.equal(after.title, '第47周重点项目督查通报');
    issuedId = id;

    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulletin-pdf').click()]);
    const head = fs.readFileSync(await dl.path()).subarray(0, 5).toString('latin1');
    assert.equal(head, '%PDF-');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a unit on a phone reads the issued bulletin', async () => {
  assert.ok(issuedId);
  const page = await newPage(stack.browser, stack.server.url, PHONE);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'unit');
    await page.goto('/bulletins');
    await page.getByTestId(`bulletin-link-${issuedId}`).click();
    await page.getByTestId('bulletin-doc').getByText('对全县重点项目进行了督查').waitFor();
    assert.equal(await page.getByTestId('bulletin-issue').count(), 0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scroll at 390 px (${overflow})`);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('an inspector on a phone records a visit finding of the 旬 and turns it into a problem', async () => {
  const hq = await apiClient(stack.server.url, 'hq');
  const inspectorUser = (await hq.get('/users?role=inspector&page_size=50')).body.items.find((u) => u.username === 'inspector');
  assert.ok(inspectorUser);
  const project = (await hq.get('/projects?page_size=50')).body.items.find((p) => p.status === 'active');
  const plan = await hq.post('/inspections', { period: '2026-11-3', targets: [{ project_id: project.id, inspector_id: inspectorUser.id }] });
  assert.equal(plan.status, 201, JSON.stringify(plan.body));

  const page = await newPage(stack.browser, stack.server.url, PHONE);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'inspector');
    await page.goto('/inspections');
    await page.waitForURL('**/inspections?period=2026-11-3');
    assert.equal(await page.getByTestId('insp-period').textContent(), '2026年11月下旬');
    await page.getByTestId(`insp-visit-${project.id}`).click();
    await page.getByTestId('insp-visit-dialog').waitFor();
    assert.equal(await field(page, 'insp-visit-date').inputValue(), '2026-11-25');
    await field(page, 'insp-visit-summary').fill('主体结构施工中');
    await field(page, 'insp-finding-text-0').fill('塔吊基础验收资料不全');
    await page.getByTestId('insp-visit-save').click();
    await page.getByTestId('insp-visited').getByText('1').waitFor();
    const detail = (await hq.get(`/inspections/${plan.body.id}`)).body;
    const finding = detail.visits[0].findings[0];
    assert.equal(finding.text, '塔吊基础验收资料不全');

    await page.getByTestId(`insp-to-problem-${finding.id}`).click();
    await page.locator('.el-message-box').getByRole('button', { name: '转问题' }).click();
    await page.getByTestId(`insp-finding-problem-${finding.id}`).waitFor();
    const after = (await hq.get(`/inspections/${plan.body.id}`)).body.visits[0].findings[0];
    assert.ok(after.problem_id);
    const problem = (await hq.get(`/problems/${after.problem_id}`)).body;
    assert.match(problem.title, /塔吊基础验收资料不全/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scroll at 390 px (${overflow})`);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
