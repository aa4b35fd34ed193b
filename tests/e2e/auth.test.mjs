// Signing in and out through the UI, and what the home page shows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { field, newPage, signIn, startStack } from './browser.mjs';

let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

const numberOf = async (page, testid) => {
  const text = (await page.getByTestId(testid).textContent()).trim();
  return Number(text.replace(/,/g, ''));
};

test('admin signs in, sees figures on the home page, signs out to the login page', async () => {
  const page = await newPage(stack.browser, stack.server.url);
  try {
    await page.goto('/');
    await page.waitForURL('**/login**'); // not signed in: the guard sends us to the sign-in page
    await signIn(page, 'admin');
    assert.equal(new URL(page.url()).pathname, '/');

    // The stat cards carry the dashboard's figures.
    await page.getByTestId('stat-units-value').filter({ hasText: /^\s*\d/ }).waitFor();
    const units = await numberOf(page, 'stat-units-value');
    const projects = await numberOf(page, 'stat-projects-total-value');
    const townships = await numberOf(page, 'stat-townships-value');
    assert.ok(units > 0, `责任单位数 should be > 0, got ${units}`);
    assert.ok(projects > 0, `项目总数 should be > 0, got ${projects}`);
    assert.ok(townships > 0, `乡镇数 should be > 0, got ${townships}`);
    assert.match(await page.getByTestId('stat-total-investment').textContent(), /亿元/);

    // Header: product, region and the signed-in person; admin sees the admin-only navigation.
    assert.match(await page.locator('header').textContent(), /项目管家/);
    assert.match(await page.getByTestId('region-name').textContent(), /\S/);
    assert.match(await page.getByTestId('user-menu').textContent(), /系统管理员/);
    await page.getByTestId('nav-audit').waitFor();
    await page.getByTestId('nav-units').waitFor({ state: 'attached' });

    // Sign out through the user menu (opened until its item shows: a click while the menu is still opening is lost).
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').waitFor({ state: 'visible' });
    await page.getByTestId('menu-logout').click();
    await page.waitForURL('**/login**');
    await page.getByTestId('login-submit').waitFor();

    // The session is gone on the server too: going home lands on the login page again.
    await page.goto('/');
    await page.waitForURL('**/login**');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a wrong password shows the server error message and stays on the login page', async () => {
  const page = await newPage(stack.browser, stack.server.url);
  try {
    await page.goto('/login');
    await field(page, 'login-username').fill('admin');
    await field(page, 'login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    assert.match(await alert.textContent(), /用户名或密码错误/);
    assert.equal(new URL(page.url()).pathname, '/login');
  } finally {
    await page.context().close();
  }
});

test('a viewer sees no organisation or audit navigation', async () => {
  const page = await newPage(stack.browser, stack.server.url);
  try {
    await signIn(page, 'viewer');
    await page.getByTestId('nav-projects').waitFor({ state: 'attached' });
    assert.equal(await page.getByTestId('nav-audit').count(), 0);
    assert.equal(await page.getByTestId('nav-units').count(), 0);
    assert.equal(await page.getByTestId('nav-project-new').count(), 0);
    // And the route itself refuses: /audit sends a viewer home.
    await page.goto('/audit');
    await page.waitForURL((u) => u.pathname === '/');
  } finally {
    await page.context().close();
  }
});

test('on a phone the navigation is a drawer behind the menu button and nothing overflows sideways', async () => {
  const page = await newPage(stack.browser, stack.server.url, { width: 390, height: 844 });
  try {
    await signIn(page, 'admin');
    await page.getByTestId('stat-units-value').filter({ hasText: /^\s*\d/ }).waitFor();
    assert.equal(await page.locator('aside').count(), 0, 'no side menu on a phone');
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-projects').click();
    await page.waitForURL('**/projects');
    await page.getByTestId('project-cards').locator('a').first().waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, `the project list is ${await overflow()}px wider than the phone`);

    // The detail page, the form and the admin tables fit as well (tables scroll inside their own box).
    await page.getByTestId('project-cards').locator('a').first().click();
    await page.getByTestId('detail-name').waitFor();
    for (const path of [null, '/projects/new', '/org/users', '/audit']) {
      if (path) await page.goto(path);
      await page.waitForLoadState('networkidle');
      const px = await overflow();
      assert.ok(px <= 0, `${path || 'project detail'} is ${px}px wider than the phone`);
    }
  } finally {
    await page.context().close();
  }
});
