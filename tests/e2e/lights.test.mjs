// Warning lights and the three letters end to end on the county's test clock: headquarters finds a red project on
// the lights board and on its page with its reasons, drafts a supervision letter (督办函) from the project page,
// issues it (it gets its number) and opens its PDF; the responsible unit signs for it and answers it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sqlExec } from '../api/harness.mjs';
import { apiClient, DESKTOP, field, newPage, PHONE, signIn, startStack } from './browser.mjs';

// 10:00 on Wednesday 4 March 2026 in the county, for the server and the browser alike.
const NOW = '2026-03-04T02:00:00Z';
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, `${NOW}\n`);

let stack;
let project; // a project of 县工业和信息化局 (the demo user `unit`), made red: planned to start in May 2025, not started
let reds; // its reasons as the API gives them
before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const hq = await apiClient(stack.server.url, 'hq');
  const list = await hq.get('/projects?page_size=200&sort=total_investment&order=desc');
  assert.equal(list.status, 200);
  project = list.body.items.find((p) => p.unit_name === '县工业和信息化局' && p.status === 'active');
  assert.ok(project, 'an active demo project of 县工业和信息化局');
  sqlExec(stack.server.dbUrl, `UPDATE projects SET planned_start = '2025-05-15', actual_start = NULL WHERE id = ${project.id}`);
  const ev = await hq.post('/lights/evaluate');
  assert.equal(ev.status, 200, JSON.stringify(ev.body));
  const p = (await hq.get(`/projects/${project.id}`)).body;
  assert.equal(p.light, 'red', `the project is red: ${JSON.stringify(p.light_reasons)}`);
  reds = p.light_reasons;
  assert.ok(reds.some((r) => r.dimension === 'start_slip' && r.light === 'red'), 'red for its start slip');
});
after(async () => {
  await stack?.stop();
});

test('a red project shows its reasons on the lights board and on its page', async () => {
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'hq');
    await page.getByTestId('nav-lights').click();
    await page.waitForURL('**/lights');
    await page.getByTestId('lights-count-red').filter({ hasText: /[1-9]/ }).waitFor();
    const reason = reds.find((r) => r.dimension === 'start_slip');
    // The board filtered to red lists the project with every reason's message.
    await page.getByTestId('lights-count-red').click();
    await page.waitForURL(/light=red/);
    const item = page.getByTestId(`lights-item-${project.id}`);
    await item.waitFor();
    for (const r of reds) await item.getByText(r.message, { exact: false }).first().waitFor();

    // The project page: a red badge in the header, "为什么是红灯？" on hover, the reasons on the 亮灯 tab.
    await item.getByRole('link', { name: project.name }).click();
    await page.waitForURL(new RegExp(`/projects/${project.id}\\?tab=lights$`));
    const badge = page.getByTestId('detail-light');
    assert.equal(await badge.getAttribute('data-light'), 'red');
    await badge.hover();
    const pop = page.locator('.light-pop:visible').filter({ hasText: '为什么是红灯？' });
    await pop.waitFor();
    await pop.getByText(reason.message).waitFor();
    const tab = page.getByTestId('lights-tab');
    await tab.getByText(reason.message).first().waitFor();
    await page.getByTestId('light-strip').locator('.cell').first().waitFor();
    assert.equal(await page.getByTestId('light-strip').locator('.cell').count(), 90);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('headquarters drafts and issues a supervision letter, its PDF opens, the unit signs for it and answers', async () => {
  const hq = await newPage(stack.browser, stack.server.url, DESKTOP);
  await hq.clock.setFixedTime(new Date(NOW));
  let letterId;
  try {
    await signIn(hq, 'hq');
    await hq.goto(`/projects/${project.id}`);
    await hq.getByTestId('detail-letter').click();
    // The facts come from the light's reasons; the action is written by hand.
    const facts = field(hq, 'letter-facts');
    await facts.waitFor();
    assert.match(await facts.inputValue(), new RegExp(reds[0].message.slice(0, 8)));
    await field(hq, 'letter-action').fill('请于收函后7日内查明未开工原因，书面报县重点项目建设指挥部办公室。');
    await hq.getByTestId('letter-save').click();
    await hq.waitForURL(/\/letters\?letter=\d+/);
    letterId = Number(new URL(hq.url()).searchParams.get('letter'));
    const drawer = hq.locator('.letter-drawer');
    await drawer.getByTestId('letter-status').filter({ hasText: '草稿' }).waitFor();

    // Issuing numbers it in the county's style.
    await drawer.getByTestId('letter-issue').click();
    await drawer.getByTestId('letter-status').filter({ hasText: '已签发' }).waitFor();
    const number = (await drawer.getByTestId('letter-number').textContent()).trim();
    assert.match(number, /督〔2026〕\d+号$/);

    // 下载PDF opens the document in a new tab: an application/pdf body.
    const link = drawer.getByTestId('letter-pdf');
    const href = await link.getAttribute('href');
    const [popup] = await Promise.all([hq.context().waitForEvent('page'), link.click()]);
    await popup.close().catch(() => {});
    const pdf = await hq.context().request.get(href);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'], /^application\/pdf/);
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    assert.deepEqual(hq.errors, []);
  } finally {
    await hq.context().close();
  }

  // The unit's user, on a phone: the menu counts the open letter; the inbox opens it; sign, then answer.
  const unit = await newPage(stack.browser, stack.server.url, PHONE);
  await unit.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(unit, 'unit');
    // The header counts the open letters beside the bell, on a phone too.
    await unit.getByTestId('header-letters-badge').filter({ hasText: /[1-9]/ }).waitFor();
    await unit.getByTestId('nav-toggle').click();
    await unit.getByTestId('nav-letters-badge').waitFor();
    await unit.getByTestId('nav-letters').click();
    await unit.waitForURL('**/letters');
    await unit.getByTestId(`letter-row-${letterId}`).click();
    const drawer = unit.locator('.letter-drawer');
    await drawer.getByTestId('letter-sign').click();
    await drawer.getByTestId('letter-status').filter({ hasText: '已签收' }).waitFor();
    await field(unit, 'letter-answer-input').fill('已约谈业主，3月20日前完成施工许可并开工。');
    await drawer.getByTestId('letter-answer').click();
    await drawer.getByTestId('letter-status').filter({ hasText: '已答复' }).waitFor();
    await drawer.getByTestId('letter-answer-text').filter({ hasText: '3月20日前完成施工许可' }).waitFor();
    const overflow = await unit.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    assert.deepEqual(unit.errors, []);
  } finally {
    await unit.context().close();
  }
  const api = await apiClient(stack.server.url, 'hq');
  const stored = (await api.get(`/letters?project_id=${project.id}`)).body.items.find((l) => l.id === letterId);
  assert.equal(stored.status, 'answered');
  assert.equal(stored.kind, 'supervision');
  assert.ok(stored.signed_at && stored.answered_at);
  assert.equal(stored.answer, '已约谈业主，3月20日前完成施工许可并开工。');
});

test('a letter message in the inbox opens its letter, for the unit (received) and for headquarters (answered)', async () => {
  const hqApi = await apiClient(stack.server.url, 'hq');
  const letter = (await hqApi.get(`/letters?project_id=${project.id}&kind=supervision`)).body.items.find((l) => l.number);
  assert.ok(letter, 'the issued supervision letter');
  for (const [user, kind, status] of [['unit', 'letter_received', '已答复'], ['hq', 'letter_answered', '已答复']]) {
    const msgs = (await (await apiClient(stack.server.url, user)).get('/inbox?limit=50')).body.items;
    const msg = msgs.find((m) => m.kind === kind && m.project_id === project.id && m.body.startsWith(letter.number));
    assert.ok(msg, `${user} has a ${kind} message for ${letter.number}: ${JSON.stringify(msgs.map((m) => [m.kind, m.body]))}`);
    const page = await newPage(stack.browser, stack.server.url, user === 'unit' ? PHONE : DESKTOP);
    await page.clock.setFixedTime(new Date(NOW));
    try {
      await signIn(page, user);
      await page.goto('/inbox');
      const item = page.getByTestId(`inbox-msg-${msg.id}`);
      await item.getByTestId(`inbox-letter-${msg.id}`).waitFor();
      await item.click();
      await page.waitForURL(new RegExp(`/letters\\?letter=${letter.id}$`));
      const drawer = page.locator('.letter-drawer');
      assert.equal((await drawer.getByTestId('letter-number').textContent()).trim(), letter.number);
      await drawer.getByTestId('letter-status').filter({ hasText: status }).waitFor();
      assert.deepEqual(page.errors, []);
    } finally {
      await page.context().close();
    }
  }
});

test('回看 replays a past day beside what was published, and marks a later correction 更正', async () => {
  // Today's light (red for the start slip) is published; then the start is entered late, dated last June.
  sqlExec(stack.server.dbUrl, `UPDATE projects SET actual_start = '2025-06-01' WHERE id = ${project.id}`);
  const today = NOW.slice(0, 10);
  const api = await apiClient(stack.server.url, 'hq');
  const replay = (await api.get(`/lights/replay?as_of=${today}&project_id=${project.id}`)).body.items[0];
  assert.equal(replay.published.light, 'red');
  assert.equal(replay.corrected, true, JSON.stringify(replay));

  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'hq');
    await page.goto('/lights');
    await page.getByTestId('lights-count-red').filter({ hasText: /[0-9]/ }).waitFor();
    const pick = field(page, 'lights-replay-date');
    await pick.fill(today);
    await pick.press('Enter');
    await page.waitForURL(new RegExp(`as_of=${today}`));
    await page.getByTestId('lights-replay').waitFor();
    await page.getByTestId('replay-count-corrected').click();
    const item = page.getByTestId(`replay-item-${project.id}`);
    await item.getByTestId('replay-corrected').waitFor();
    // What was published that day: red, for the start slip that the correction removed.
    const startSlip = reds.find((r) => r.dimension === 'start_slip');
    await item.getByText(startSlip.message).waitFor();
    assert.match(await item.locator('.rp-pub').textContent(), /当日发布：红灯/);
    await page.getByTestId('lights-replay-close').click();
    await page.waitForURL((u) => !u.search.includes('as_of'));
    await page.getByTestId('lights-list').waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
