#!/usr/bin/env node
// Screenshots of the first-run page (fresh server) and of "add county" (a city administrator), desktop and phone:
//   STEWARD_BIN=$PWD/build/steward STEWARD_WEB=$PWD/web/dist node tests/e2e/screenshot-setup.mjs /tmp/shots
// Not a test: it is for looking at the UI (tests/e2e/screenshot.mjs covers the pages on demo data).
import { startServer, runSteward } from '../api/harness.mjs';
import { field, launch, newPage, PHONE, DESKTOP, webDir, signIn } from './browser.mjs';
const out = process.argv[2];
const server = await startServer({ demo: false, web: webDir() });
const browser = await launch();
try {
  for (const [tag, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, server.url, vp);
    await page.goto('/setup'); await page.waitForTimeout(1200);
    await page.getByTestId('setup-division-0').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '湖南省' }).first().click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${out}/${tag}-setup.png`, fullPage: true });
    await page.context().close();
  }
  runSteward(['init', '--db', server.dbUrl, '--region', '430424', '--admin', 'hd', '--password', 'Hengdong#2026']);
  runSteward(['user', 'add', '--db', server.dbUrl, '--region', '430400', '--username', 'hy', '--password', 'Hengdong#2026', '--role', 'admin', '--display-name', '衡阳市管理员']);
  for (const [tag, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(browser, server.url, vp);
    await signIn(page, 'hy', 'Hengdong#2026');
    await page.goto('/org/add-county'); await page.waitForTimeout(1500);
    await page.screenshot({ path: `${out}/${tag}-add-county.png`, fullPage: true });
    console.log(page.errors);
    await page.context().close();
  }
} finally { await browser.close(); await server.stop(); }
