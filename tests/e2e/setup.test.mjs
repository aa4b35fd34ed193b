// First run in chromium: a fresh server opens on the setup page; choosing the county from the national region
// list with the one-time code from the log sets it up and signs its administrator in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from '../api/harness.mjs';
import { field, launch, newPage, PHONE, webDir } from './browser.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ demo: false, web: webDir() });
  browser = await launch();
});
after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

async function choose(page, testid, name) {
  await page.getByTestId(testid).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
}

test('the first-run page sets up 衡东县 and signs its administrator in', async () => {
  const code = /setup code ([A-Z0-9-]+)/.exec(server.stderr())[1];
  const page = await newPage(browser, server.url, PHONE);
  await page.goto('/');
  await page.waitForURL((u) => u.pathname === '/setup');
  await field(page, 'setup-code').fill(code);
  await choose(page, 'setup-division-0', '湖南省');
  await choose(page, 'setup-division-1', '衡阳市');
  await choose(page, 'setup-division-2', '衡东县');
  await page.getByText('已选择：衡东县（430424）').waitFor();
  await choose(page, 'setup-preset', '衡东县（hengdong）');
  await field(page, 'setup-username').fill('hd_admin');
  await field(page, 'setup-display-name').fill('刘主任');
  await field(page, 'setup-password').fill('Hengdong#2026');
  await field(page, 'setup-confirm').fill('Hengdong#2026');
  await page.getByTestId('setup-submit').click();
  await page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 });
  await page.getByTestId('user-menu').waitFor();
  assert.match(await page.getByTestId('user-menu').innerText(), /刘主任/);
  await page.goto('/org/units');
  await page.getByText('大浦工业园').first().waitFor();
  assert.deepEqual(page.errors, []);
  // Set up once: the page now sends a visitor to the sign-in page.
  const other = await newPage(browser, server.url);
  await other.goto('/setup');
  await other.waitForURL((u) => u.pathname === '/login');
});
