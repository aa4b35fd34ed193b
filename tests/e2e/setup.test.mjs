// First run in chromium: a fresh server opens on the setup page; choosing the county from the national region
// list with the one-time code from the log sets it up and signs its administrator in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from '../api/harness.mjs';
import { buildXlsx } from '../api/xlsx.mjs';
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

  // The county's own sheet straight after: every unit and leader it names is new, listed once in the dialog.
  const sheet = buildXlsx({
    name: '项目库',
    rows: [
      ['衡东县2026年重点项目'],
      ['项目名称', '项目类别', '所在乡镇', '责任单位', '项目长', '总投资（万元）'],
      ['大浦工业园标准厂房三期', '产业项目', '大浦工业园', '衡东经开区', '陈晓燕', 32000],
      ['洣水镇污水处理厂提标改造', '基础设施', '洣水镇', '县住建局', '王志刚', 8600],
      ['石湾镇油茶产业园', '产业项目', '石湾镇', '石湾镇', '陈晓燕', 12500],
    ],
    merges: ['A1:F1'],
  });
  await page.goto('/projects');
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({
    name: '衡东县2026年重点项目.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: sheet,
  });
  await page.getByTestId('import-submit').click();
  await page.getByTestId('import-onboard').waitFor();
  assert.equal((await page.getByTestId('import-onboard-summary').textContent()).trim(), '将新建 2 个单位、2 名人员');
  assert.match(await page.getByTestId('onboard-kind-衡东经开区').textContent(), /园区/);
  assert.match(await page.getByTestId('onboard-kind-县住建局').textContent(), /审批/);
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('import-result').waitFor();
  assert.equal((await page.getByTestId('import-created').textContent()).trim(), '3');
  assert.match(await page.getByTestId('import-onboarded').textContent(), /新建 2 个单位、2 名人员/);
  assert.deepEqual(page.errors, []);
  // Set up once: the page now sends a visitor to the sign-in page.
  const other = await newPage(browser, server.url);
  await other.goto('/setup');
  await other.waitForURL((u) => u.pathname === '/login');
});
