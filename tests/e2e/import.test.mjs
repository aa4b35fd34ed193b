// Importing projects from xlsx through the list page's dialog.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { buildXlsx, readSheet } from '../api/xlsx.mjs';
import { apiClient, field, newPage, signIn, startStack } from './browser.mjs';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

async function openImport(page) {
  await signIn(page, 'hq');
  await page.goto('/projects');
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-upload').waitFor();
}

async function upload(page, name, bytes) {
  await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({ name, mimeType: XLSX_TYPE, buffer: bytes });
  await page.getByTestId('import-submit').click();
}

test('a good sheet imports and its rows appear in the list', async () => {
  const stamp = String(Date.now());
  const names = [`导入验证光伏电站项目${stamp}`, `导入验证冷链物流园项目${stamp}`];
  const bytes = buildXlsx({
    name: '项目库',
    rows: [
      ['项目名称', '项目类别', '总投资（万元）'],
      [names[0], '产业项目', 1200],
      [names[1], '产业项目', '350.5'],
    ],
  });
  const page = await newPage(stack.browser, stack.server.url);
  try {
    await openImport(page);
    await upload(page, 'good.xlsx', bytes);
    const result = page.getByTestId('import-result');
    await result.waitFor();
    assert.match(await result.textContent(), /导入成功/);
    assert.equal((await page.getByTestId('import-created').textContent()).trim(), '2');
    await page.keyboard.press('Escape');

    await field(page, 'filter-q').fill(stamp);
    await page.getByTestId('filter-search').click();
    const table = page.getByTestId('project-table');
    for (const n of names) await table.getByText(n).waitFor();
    assert.equal(await table.locator('.el-table__body-wrapper tbody tr').count(), 2);
    assert.match(await table.textContent(), /1,200\.00/);
    assert.match(await table.textContent(), /350\.50/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.context().close();
  }
});

test('a bad sheet shows its errors with row and column and imports nothing', async () => {
  const stamp = String(Date.now());
  const bytes = buildXlsx({
    name: '项目库',
    rows: [
      ['项目名称', '项目类别', '总投资（万元）'],
      [`导入错误示例项目${stamp}`, '产业项目', 'abc'],
    ],
  });
  const page = await newPage(stack.browser, stack.server.url);
  try {
    await openImport(page);
    await upload(page, 'bad.xlsx', bytes);
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const rows = errors.locator('.el-table__body-wrapper tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    const cells = (await rows.first().locator('td').allTextContents()).map((s) => s.trim());
    assert.equal(cells[0], '项目库', `sheet: ${cells}`);
    assert.equal(cells[1], '2', `row: ${cells}`);
    assert.match(cells[2], /^C/, `column: ${cells}`);
    assert.match(cells[2], /总投资/, `column header: ${cells}`);
    assert.ok(cells[3].length > 0, 'a reason is given');
    assert.equal(await page.getByTestId('import-result').count(), 0);

    const api = await apiClient(stack.server.url, 'hq');
    const r = await api.get(`/projects?q=${stamp}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 0, 'nothing imported');
  } finally {
    await page.context().close();
  }
});

test('导出Excel downloads the list with the current filters', async () => {
  const api = await apiClient(stack.server.url, 'hq');
  const filtered = await api.get('/projects?stage=construction&page_size=1');
  assert.equal(filtered.status, 200);
  const all = await api.get('/projects?page_size=1');
  assert.ok(filtered.body.total > 0 && filtered.body.total < all.body.total, 'the filter must narrow the demo list');

  const page = await newPage(stack.browser, stack.server.url);
  try {
    await signIn(page, 'hq');
    await page.goto('/projects?stage=construction');
    await page.getByTestId('project-table').locator('.el-table__body-wrapper tbody tr').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const sheet = readSheet(readFileSync(await download.path()));
    const names = sheet.rows.map((r) => r.join('|'));
    const header = names.findIndex((r) => r.includes('项目名称'));
    assert.ok(header >= 0, 'the export has a header row');
    const dataRows = sheet.rows.slice(header + 1).filter((r) => r.some((c) => c !== ''));
    assert.equal(dataRows.length, filtered.body.total);
  } finally {
    await page.context().close();
  }
});
