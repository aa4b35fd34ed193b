// The leaders' weekly visits (每周必访) end to end on a phone (390 px): the demo county leader opens the week page
// from the menu, finds their own line first, follows a project not visited yet to its 走访记录 tab, records the
// visit there, and back on the week page the project has left the list and the rate has moved.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { apiClient, field, newPage, PHONE, signIn, startStack } from './browser.mjs';

// The county's clock and the browser's, both pinned: 10:00 on Wednesday 4 March 2026 (ISO week 2026-W10), so the
// week never turns over during the test.
const NOW = '2026-03-04T02:00:00Z';
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-e2e-clock-')), 'now');
fs.writeFileSync(clock, `${NOW}\n`);

let stack;
before(async () => {
  stack = await startStack({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
});
after(async () => {
  await stack?.stop();
});

// The page prints basis points as a percentage with one decimal, in integers.
const pct = (bp) => `${Math.trunc(bp / 100)}.${Math.trunc((bp % 100) / 10)}%`;

test('a county leader records a visit on a phone and the week page shows the project visited', async () => {
  const api = await apiClient(stack.server.url, 'leader');
  const me = (await api.get('/auth/me')).body.user;
  const rates = await api.get('/visits/rates');
  assert.equal(rates.status, 200);
  const mine = rates.body.items.find((r) => r.leader_id === me.id);
  assert.ok(mine && mine.led > 1, 'the demo leader leads projects');
  const missing = (await api.get('/visits/missing')).body.leaders.find((g) => g.leader_id === me.id);
  assert.ok(missing && missing.projects.length, 'the demo leader has a project not visited this week');
  const project = missing.projects[0];
  const after = Math.trunc(((mine.visited + 1) * 10000) / mine.led);
  assert.notEqual(pct(after), pct(mine.rate_bp));

  const phone = await newPage(stack.browser, stack.server.url, PHONE);
  await phone.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(phone, 'leader');
    // The menu (a drawer on the phone) leads to the week page; the leader's own line comes first.
    await phone.getByTestId('nav-toggle').click();
    await phone.getByTestId('nav-visits').click();
    await phone.waitForURL('**/visits');
    const first = phone.locator('[data-testid^="visits-leader-"]').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('data-testid'), `visits-leader-${me.id}`);
    await phone.getByTestId(`visits-rate-${me.id}`).filter({ hasText: pct(mine.rate_bp) }).waitFor();
    await phone.getByTestId(`visits-visited-${me.id}`).filter({ hasText: String(mine.visited) }).waitFor();

    // The project not visited links to its 走访记录 tab, where the leader may record.
    await phone.getByTestId(`visits-project-${project.id}`).click();
    await phone.waitForURL(new RegExp(`/projects/${project.id}\\?tab=visits$`));
    await phone.getByTestId('visit-form').waitFor();
    // Who went: the leader is filled in; one more is typed and added with Enter.
    await phone.getByTestId('visit-visitor-0').filter({ hasText: me.display_name }).waitFor();
    await field(phone, 'visit-visitor-input').fill('县发改局 李明');
    await field(phone, 'visit-visitor-input').press('Enter');
    await phone.getByTestId('visit-visitor-1').filter({ hasText: '县发改局 李明' }).waitFor();
    await field(phone, 'visit-findings').fill('临时用电容量不足，现场协调供电所增容');
    await phone.getByTestId('visit-submit').click();
    const card = phone.locator('[data-testid^="visit-item-"]').filter({ hasText: '现场协调供电所增容' });
    await card.waitFor();
    assert.match(await card.textContent(), /县发改局 李明/);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the tab is ${overflow}px wider than the phone`);

    const stored = (await api.get(`/projects/${project.id}/visits`)).body.items[0];
    assert.deepEqual(stored.visitors, [me.display_name, '县发改局 李明']);
    assert.equal(stored.findings, '临时用电容量不足，现场协调供电所增容');
    assert.equal(stored.week, rates.body.week.key);

    // Back on the week page: the project has left the list and the rate moved.
    await phone.goto('/visits');
    await phone.getByTestId(`visits-rate-${me.id}`).filter({ hasText: pct(after) }).waitFor();
    await phone.getByTestId(`visits-visited-${me.id}`).filter({ hasText: String(mine.visited + 1) }).waitFor();
    assert.equal(await phone.getByTestId(`visits-project-${project.id}`).count(), 0);
    const pageOverflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(pageOverflow <= 0, `the week page is ${pageOverflow}px wider than the phone`);

    // The week before still counts the visits of that week: the project is not among this week's visits there.
    await phone.getByTestId('visits-prev').click();
    await phone.waitForURL(/\/visits\?week=/);
    const lastWeek = (await api.get(`/visits/rates?week=${new URL(phone.url()).searchParams.get('week')}`)).body;
    const lastMine = lastWeek.items.find((r) => r.leader_id === me.id);
    await phone.getByTestId(`visits-rate-${me.id}`).filter({ hasText: pct(lastMine.rate_bp) }).waitFor();
    assert.deepEqual(phone.errors, []);
  } finally {
    await phone.context().close();
  }
});

test('a unit user pages through the visits but has no form and no week page in the menu', async () => {
  const hq = await apiClient(stack.server.url, 'hq');
  const list = await hq.get('/projects?page_size=200');
  const project = list.body.items.find((x) => x.unit_name === '县工业和信息化局' && x.leader_id && x.status !== 'cancelled');
  assert.ok(project, 'a demo project of 县工业和信息化局 with a leader');
  const today = (await hq.get('/visits/rates')).body.week.start; // a day that is not in the future
  const rec = await hq.post(`/projects/${project.id}/visits`, { date: today, visitors: [project.leader_name], findings: '施工组织有序' });
  assert.equal(rec.status, 201);
  // 21 older visits over the two weeks before: the tab shows 20 first and the rest behind 加载更多.
  const daysBefore = (n) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);
  for (let i = 0; i < 21; i++) {
    const r = await hq.post(`/projects/${project.id}/visits`, { date: daysBefore(i < 11 ? 7 : 14), visitors: ['总指挥部'], findings: `第 ${i + 1} 次走访` });
    assert.equal(r.status, 201);
  }
  const phone = await newPage(stack.browser, stack.server.url, PHONE);
  await phone.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(phone, 'unit');
    await phone.goto(`/projects/${project.id}?tab=visits`);
    await phone.getByTestId(`visit-item-${rec.body.id}`).filter({ hasText: '施工组织有序' }).waitFor();
    assert.equal(await phone.getByTestId('visit-form').count(), 0);
    const items = phone.locator('[data-testid^="visit-item-"]');
    assert.equal(await items.count(), 20);
    assert.match(await items.first().textContent(), /施工组织有序/, 'newest first');
    await phone.getByTestId('visit-more').click();
    await items.nth(21).waitFor();
    assert.equal(await items.count(), 22);
    assert.equal(await phone.getByTestId('visit-more').count(), 0);
    await phone.getByTestId('nav-toggle').click();
    await phone.getByTestId('nav-projects').waitFor();
    assert.equal(await phone.getByTestId('nav-visits').count(), 0);
    assert.deepEqual(phone.errors, []);
  } finally {
    await phone.context().close();
  }
});
