// The ranking board (挂榜排名) end to end on the county's test clock: headquarters opens a closed month of the demo
// year, the table lists every unit in rank order with the totals the API published, a row opens the explanation of
// its score (each factor's raw figure, points, weight and message, and the projects behind it), the year's trend
// chart draws, and revision 1 verifies as identical. After the month ends, headquarters closes November through the
// UI (预览 → 已发布 第1版) and publishes a revision with a reason (第2版, both listed and both verify). The yellow-card
// register shows the year's cards, and on a 390 px phone the table becomes cards without sideways scrolling. A unit
// user sets up its own ledger (建账) from the five-accounts page; headquarters confirms a quarterly award typed in yuan
// ("1234.5") and the register stores 123450 fen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, DESKTOP, field, newPage, PHONE, signIn, startStack } from './browser.mjs';

const NOW = '2026-11-02T02:00:00Z'; // Monday 2 November 2026, 10:00 in the county: October has ended
const DECEMBER = '2026-12-01T02:00:00Z'; // 1 December: November has ended
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, `${NOW}\n`);

const hundredths = (v) => `${v < 0 ? '-' : ''}${Math.floor(Math.abs(v) / 100)}.${String(Math.abs(v) % 100).padStart(2, '0')}`;

let stack;
let hq;
// Closes a month through the API unless the demo already did; in Propose mode headquarters takes the proposed list.
async function ensureClosed(month) {
  const b = await hq.get(`/rankings?month=${month}`);
  assert.equal(b.status, 200, JSON.stringify(b.body));
  if (b.body.status === 'closed') return b.body;
  const chosen = b.body.rules?.yellow?.mode === 'propose' ? b.body.units.filter((u) => u.proposed).map((u) => u.id) : undefined;
  const r = await hq.post(`/rankings/${month}/close`, chosen ? { chosen } : {});
  assert.ok(r.status === 200 || r.status === 201, `close ${month}: ${r.status} ${JSON.stringify(r.body)}`);
  const again = await hq.get(`/rankings?month=${month}`);
  assert.equal(again.body.status, 'closed');
  return again.body;
}

before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = await apiClient(stack.server.url, 'hq');
  // The demo closes the past months of its year; without it, close the last three here, in order.
  for (const m of ['2026-08', '2026-09', '2026-10']) await ensureClosed(m);
});
after(async () => {
  await stack?.stop();
});

test('headquarters reads the published board: rank order, totals, an explanation, the trend and a verified revision', async () => {
  const board = (await hq.get('/rankings?month=2026-10')).body;
  assert.equal(board.status, 'closed');
  assert.ok(board.units.length >= 3, 'the demo ranks several units');
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, 'hq');
    await page.locator('.el-sub-menu__title', { hasText: '排名考核' }).click();
    await page.getByTestId('nav-rankings').click();
    // The board opens on last month in the county's day.
    await page.waitForURL('**/rankings?month=2026-10');
    await page.getByTestId('rank-status').filter({ hasText: `已发布 第${board.revision}版` }).waitFor();

    const rows = page.getByTestId('rank-table').locator('.el-table__body tr.el-table__row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), board.units.length, 'one row per ranked unit');
    for (const [i, u] of board.units.slice(0, 3).entries()) {
      const row = rows.nth(i);
      assert.match(await row.innerText(), new RegExp(`^\\s*${u.rank}\\b`), `row ${i} shows rank ${u.rank}`);
      assert.ok((await row.innerText()).includes(u.name), `row ${i} is ${u.name}`);
      assert.equal((await page.getByTestId(`rank-total-${u.id}`).innerText()).trim(), hundredths(u.total));
      assert.ok((await row.innerText()).includes(u.grade), `row ${i} shows grade ${u.grade}`);
    }
    const carded = board.units.filter((u) => u.yellow_card);
    if (carded.length) {
      const row = rows.nth(board.units.indexOf(carded[0]));
      assert.ok((await row.innerText()).includes('黄牌'), 'a carded unit wears its badge');
    }

    // The explanation of the first unit: every factor with its message, and the projects behind the score.
    const first = board.units[0];
    await rows.first().click();
    const drawer = page.getByTestId('rank-explain');
    await drawer.waitFor();
    for (const f of first.factors) {
      const box = drawer.getByTestId(`rank-factor-${f.key}`);
      await box.waitFor();
      const text = await box.innerText();
      assert.ok(text.includes(f.message), `factor ${f.key} shows its message`);
      assert.ok(text.includes(hundredths(f.contribution)), `factor ${f.key} shows its contribution`);
    }
    await page.getByTestId('rank-projects').waitFor();
    const detail = await hq.get(`/rankings/2026-10/units/${first.id}`);
    assert.equal(detail.status, 200);
    const projects = detail.body.projects || [];
    if (projects.length) await page.getByTestId('rank-projects').getByText(projects[0].name).first().waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // The year's trend draws on a canvas (three closed months at least).
    const trend = page.getByTestId('rank-trend');
    await trend.locator('canvas').first().waitFor();
    assert.equal(await trend.locator('.el-empty').count(), 0, 'the trend has data');

    // Revision 1 recomputes to the same bytes.
    await page.getByTestId('rank-verify-1').click();
    await page.getByTestId('rank-verified-1').filter({ hasText: '一致' }).waitFor();
    assert.ok(!(await page.getByTestId('rank-verified-1').innerText()).includes('不一致'));
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('after the month ends headquarters closes it on screen, then publishes a revision with a reason', async () => {
  const before = (await hq.get('/rankings?month=2026-11')).body;
  assert.equal(before.status, 'open', 'November is open in November');
  // Closing before the month has ended is refused.
  const early = await hq.post('/rankings/2026-11/close', {});
  assert.equal(early.status, 409);

  fs.writeFileSync(clock, `${DECEMBER}\n`);
  hq = await apiClient(stack.server.url, 'hq'); // a month on, the old session has idled out
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(DECEMBER));
  try {
    await signIn(page, 'hq');
    await page.goto('/rankings?month=2026-11');
    await page.getByTestId('rank-status').filter({ hasText: '预览' }).waitFor();
    await page.getByTestId('rank-close').click();
    await page.getByTestId('rank-close-dialog').waitFor();
    await page.getByTestId('rank-close-confirm').click();
    await page.getByTestId('rank-status').filter({ hasText: '已发布 第1版' }).waitFor();
    const closed = (await hq.get('/rankings?month=2026-11')).body;
    assert.equal(closed.status, 'closed');
    assert.equal(closed.revision, 1);

    // A revision needs a reason.
    await page.getByTestId('rank-revise').click();
    await page.getByTestId('rank-revise-dialog').waitFor();
    await page.getByTestId('rank-revise-confirm').click();
    await page.getByTestId('rank-revise-dialog').getByText('请填写修订理由').waitFor();
    await field(page, 'rank-revise-reason').fill('县统计局更正了11月投资数据');
    await page.getByTestId('rank-revise-confirm').click();
    await page.getByTestId('rank-status').filter({ hasText: '已发布 第2版' }).waitFor();
    const revs = page.getByTestId('rank-revisions');
    await revs.getByText('县统计局更正了11月投资数据').waitFor();
    await revs.getByText('第1版').waitFor();
    for (const n of [1, 2]) {
      await page.getByTestId(`rank-verify-${n}`).click();
      await page.getByTestId(`rank-verified-${n}`).filter({ hasText: '一致' }).waitFor();
    }
    const after = (await hq.get('/rankings?month=2026-11')).body;
    assert.equal(after.revision, 2);
    assert.deepEqual(after.revisions.map((r) => r.revision), [1, 2]);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('the yellow-card register lists the year\'s cards, summons highlighted', async () => {
  const reg = await hq.get('/yellow-cards?year=2026');
  assert.equal(reg.status, 200);
  const cards = Array.isArray(reg.body) ? reg.body : reg.body.items;
  assert.ok(cards.length > 0, 'the demo year has yellow cards');
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(DECEMBER));
  try {
    await signIn(page, 'hq');
    await page.locator('.el-sub-menu__title', { hasText: '排名考核' }).click();
    await page.getByTestId('nav-yellow-cards').click();
    await page.waitForURL('**/yellow-cards?year=2026');
    const table = page.getByTestId('yc-table');
    await table.getByText(cards[0].unit_name).first().waitFor();
    assert.equal(await table.locator('.el-table__body tr.el-table__row').count(), cards.length);
    assert.equal(await table.getByTestId('yc-summons').count(), cards.filter((c) => c.summons).length);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('on a 390 px phone a unit user reads the board as cards, without sideways scrolling', async () => {
  const board = (await hq.get('/rankings?month=2026-10')).body;
  const page = await newPage(stack.browser, stack.server.url, PHONE);
  await page.clock.setFixedTime(new Date(DECEMBER));
  try {
    await signIn(page, 'unit');
    await page.goto('/rankings?month=2026-10');
    await page.getByTestId('rank-cards').waitFor();
    assert.equal(await page.getByTestId('rank-cards').locator('.rank-card').count(), board.units.length);
    assert.equal(await page.getByTestId('rank-close').count(), 0, 'a unit user cannot close');
    assert.equal(await page.getByTestId('rank-revise').count(), 0, 'a unit user cannot revise');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (overflow ${overflow}px)`);
    await page.getByTestId(`rank-card-${board.units[0].id}`).click();
    await page.getByTestId('rank-explain').waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a unit user sets up its own ledger (建账) and the step bar marks it done', async () => {
  const unit = await apiClient(stack.server.url, 'unit');
  const me = (await unit.get('/auth/me')).body.user;
  assert.ok(me.org_unit_id, 'the demo unit user belongs to a unit');
  const page = await newPage(stack.browser, stack.server.url, PHONE);
  await page.clock.setFixedTime(new Date(DECEMBER));
  try {
    await signIn(page, 'unit');
    await page.goto('/ledgers?month=2026-12');
    const row = page.getByTestId(`ledger-unit-${me.org_unit_id}`);
    await row.waitFor();
    await page.getByTestId(`ledger-act-${me.org_unit_id}`).filter({ hasText: '建账' }).click();
    await page.getByTestId(`ledger-act-${me.org_unit_id}`).filter({ hasText: '理账' }).waitFor();
    assert.equal(await row.locator('.step.done, .step.late-done').count(), 1, 'one step done');
    const ledger = (await unit.get(`/ledgers/2026-12/${me.org_unit_id}`)).body;
    assert.ok(ledger.steps.set_up.at, 'set up through the API as well');
    assert.equal(ledger.steps.sort.at, null);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('headquarters confirms a quarter\'s award with an amount typed in yuan, stored as integer fen', async () => {
  const q = (await hq.get('/awards?quarter=2026-Q3')).body;
  assert.equal(q.can_confirm, true, 'the third quarter has ended');
  const page = await newPage(stack.browser, stack.server.url, DESKTOP);
  await page.clock.setFixedTime(new Date(DECEMBER));
  try {
    await signIn(page, 'hq');
    await page.goto('/awards?quarter=2026-Q3');
    await page.getByTestId('award-candidates').waitFor();
    if (!q.candidates.length) {
      await page.getByText('本季度没有达到条件的候选').waitFor();
      return;
    }
    const c = q.candidates[0];
    const key = `${c.award}-${c.subject_kind}-${c.id}`;
    const box = page.getByTestId(`award-group-${c.award}`).locator('.cand').first();
    await box.locator('.el-checkbox').click();
    await field(page, `award-amount-${key}`).fill('1234.5');
    await page.getByTestId('award-confirm').click();
    await page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click();
    await page.getByTestId('award-register').getByText('1,234.50', { exact: true }).waitFor();
    const reg = (await hq.get('/awards/register?year=2026')).body;
    const d = reg.items.find((x) => x.award === c.award && String(x.subject_id) === String(c.id));
    assert.ok(d, 'the decision is registered');
    assert.equal(d.amount_fen, 123450);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});
