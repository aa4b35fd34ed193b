// Importing a sheet that names units and people the county lacks, through the list page's dialog (issue 8): the
// dialog lists them with inferred kinds (editable) and warnings, and creates them on confirmation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildXlsx } from '../api/xlsx.mjs';
import { apiClient, field, newPage, PHONE, DESKTOP, signIn, startStack } from './browser.mjs';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

function sheet(stamp) {
  return buildXlsx({
    name: '项目库',
    rows: [
      ['项目名称', '项目类别', '责任单位', '项目长', '总投资（万元）'],
      [`新建单位示范项目甲${stamp}`, '产业项目', `县新质生产力促进中心${stamp}`, `宋明远${stamp}`, 1000],
      [`新建单位示范项目乙${stamp}`, '产业项目', `衡东县新材料产业园${stamp}`, '', 800],
      [`新建单位示范项目丙${stamp}`, '基础设施', '县发改局', '', 500],
    ],
  });
}

for (const [tag, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`${tag}: a sheet with unknown units is reviewed, edited and imported through the dialog`, async () => {
    const stamp = `${tag === 'phone' ? 'P' : 'D'}${Date.now() % 100000}`;
    const centre = `县新质生产力促进中心${stamp}`;
    const park = `衡东县新材料产业园${stamp}`;
    const page = await newPage(stack.browser, stack.server.url, viewport);
    try {
      await signIn(page, 'hq');
      await page.goto('/projects');
      await page.getByTestId('import-open').click();
      await page.getByTestId('import-upload').waitFor();
      await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({ name: 'onboard.xlsx', mimeType: XLSX_TYPE, buffer: sheet(stamp) });
      await page.getByTestId('import-submit').click();

      const panel = page.getByTestId('import-onboard');
      await panel.waitFor();
      assert.equal((await page.getByTestId('import-onboard-summary').textContent()).trim(), '将新建 3 个单位、1 名人员');
      // Inferred kinds are shown in each unit's select.
      assert.match(await page.getByTestId(`onboard-kind-${centre}`).textContent(), /责任单位/);
      assert.match(await page.getByTestId(`onboard-kind-${park}`).textContent(), /园区/);
      // 县发改局 is probably the existing 县发展和改革局: a warning says so.
      const warnings = await page.getByTestId('import-onboard-warning').allTextContents();
      assert.ok(warnings.some((w) => w.includes('县发改局') && w.includes('县发展和改革局')), warnings.join(' / '));

      // The user skips 县发改局 (it is the existing bureau) and confirms.
      await page.getByTestId('onboard-kind-县发改局').click();
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '不新建' }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid=import-onboard-summary]')?.textContent.includes('将新建 2 个单位'));
      await page.getByTestId('import-confirm').click();

      const result = page.getByTestId('import-result');
      await result.waitFor();
      assert.match(await result.textContent(), /导入成功/);
      assert.equal((await page.getByTestId('import-created').textContent()).trim(), '3');
      const made = await page.getByTestId('import-onboarded').textContent();
      assert.match(made, /新建 2 个单位、1 名人员/);
      assert.ok(made.includes(centre) && made.includes(park), made);
      assert.deepEqual(page.errors, []);

      const api = await apiClient(stack.server.url, 'hq');
      const units = (await api.get('/org-units')).body.items;
      assert.equal(units.find((u) => u.name === centre)?.kind, 'department');
      assert.equal(units.find((u) => u.name === park)?.kind, 'park');
      assert.ok(!units.some((u) => u.name === '县发改局'));
      const projects = await api.get(`/projects?q=${stamp}`);
      assert.equal(projects.body.total, 3);

      // The new leader is on the Users page without a sign-in.
      const person = (await api.get(`/users?q=${encodeURIComponent('宋明远' + stamp)}`)).body.items[0];
      assert.ok(person, 'the leader was created');
      await page.goto(`/org/users?q=${encodeURIComponent('宋明远' + stamp)}`);
      await field(page, 'users-q').fill('宋明远' + stamp);
      await field(page, 'users-q').press('Enter');
      await page.getByTestId(`user-no-login-${person.username}`).waitFor();
      assert.equal((await page.getByTestId(`user-no-login-${person.username}`).textContent()).trim(), '未开通登录');
    } finally {
      await page.context().close();
    }
  });
}
