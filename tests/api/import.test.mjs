// xlsx import and export of the project library (issue "project library").
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { XLSX_TYPE, runSteward, show, signedIn, startServer } from './harness.mjs';
import { creditCode, projectCode } from './fixtures.mjs';
import { buildXlsx, excelSerial, findHeaderRow, readSheet } from './xlsx.mjs';

const HEADERS = ['项目名称', '项目代码', '项目类别', '业主单位', '统一社会信用代码', '所在乡镇', '项目级别', '总投资（亿元）', '计划开工时间'];
const SHEET = '项目库';

let server;
let hq;
let viewer;
let townships;
let tmp;

before(async () => {
  server = await startServer();
  hq = await signedIn(server.url, 'hq');
  viewer = await signedIn(server.url, 'viewer');
  const t = await hq.get('/org-units?kind=township');
  assert.equal(t.status, 200, show(t));
  townships = t.body.items;
  assert.ok(townships.length >= 2);
  tmp = mkdtempSync(join(tmpdir(), 'steward-import-'));
});
after(async () => {
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// A workbook as the county keeps it: a merged title row, then the header row, then one row per project.
function workbook(dataRows, { title = '衡东县2026年重点项目库', headers = HEADERS } = {}) {
  return buildXlsx({ name: SHEET, rows: [[title], headers, ...dataRows], merges: [`A1:${String.fromCharCode(64 + headers.length)}1`] });
}

function rowsFor(marker, base, t1, t2) {
  return [
    [`${marker}智能制造产业园`, projectCode(base + 1), '产业项目', `衡东${marker}智造有限公司`, creditCode(base + 1), t1, '省重点', 2.3, '2023/4/28'],
    [`${marker}城乡供水一体化工程`, projectCode(base + 2), '基础设施', `衡东县${marker}水务投资有限公司`, creditCode(base + 2), t2, '市重点', 1.5, '2023年4月28日'],
    [`${marker}康养综合体`, projectCode(base + 3), '社会民生', `衡东${marker}康养有限公司`, creditCode(base + 3), t1, '县重点', 0.35, excelSerial('2023-04-28')],
  ];
}

const importXlsx = (client, bytes, query = '') => client.post(`/projects/import${query}`, bytes, { contentType: XLSX_TYPE });

async function projectsMatching(q) {
  const r = await hq.get(`/projects?q=${encodeURIComponent(q)}&page_size=200&sort=name&order=asc`);
  assert.equal(r.status, 200, show(r));
  return r.body;
}

async function totalProjects() {
  const r = await hq.get('/projects?page_size=1');
  assert.equal(r.status, 200, show(r));
  return r.body.total;
}

const cellsOf = (res) => res.body?.error?.cells ?? res.body?.cells;

test('import: a sheet with a merged title row creates one project per row, converting 亿元 and three date forms', async () => {
  const before = await totalProjects();
  const bytes = workbook(rowsFor('青鸾', 200, townships[0].name, townships[1].name));
  const r = await importXlsx(hq, bytes);
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body, { rows: 3, created: 3, updated: 0, dry_run: false });
  assert.equal(await totalProjects(), before + 3);

  const list = await projectsMatching('青鸾');
  assert.equal(list.total, 3);
  const byCode = {};
  for (const s of list.items) {
    const p = (await hq.get(`/projects/${s.id}`)).body;
    byCode[p.code] = p;
  }
  const a = byCode[projectCode(201)];
  const b = byCode[projectCode(202)];
  const c = byCode[projectCode(203)];
  assert.ok(a && b && c, `imported codes: ${Object.keys(byCode)}`);
  assert.deepEqual(
    [a.name, a.category, a.enterprise_name, a.enterprise_credit_code, a.township_id, a.levels, a.total_investment, a.planned_start],
    ['青鸾智能制造产业园', 'industrial', '衡东青鸾智造有限公司', creditCode(201), townships[0].id, ['province'], 230_000_000, '2023-04-28']);
  assert.deepEqual([b.category, b.township_id, b.levels, b.total_investment, b.planned_start],
    ['infrastructure', townships[1].id, ['city'], 150_000_000, '2023-04-28']);
  assert.deepEqual([c.category, c.levels, c.total_investment, c.planned_start], ['social', ['county'], 35_000_000, '2023-04-28']);
  for (const p of [a, b, c]) assert.equal(p.region_code, '430424');
});

test('re-import updates the same projects: no duplicates', async () => {
  const before = await totalProjects();
  const rows = rowsFor('青鸾', 200, townships[0].name, townships[1].name);
  rows[0][7] = 2.5; // 总投资 of the first project changed
  const r = await importXlsx(hq, workbook(rows));
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body, { rows: 3, created: 0, updated: 3, dry_run: false });
  assert.equal(await totalProjects(), before);
  const list = await projectsMatching('青鸾');
  assert.equal(list.total, 3);
  const a = list.items.find((x) => x.name === '青鸾智能制造产业园');
  assert.equal((await hq.get(`/projects/${a.id}`)).body.total_investment, 250_000_000);
});

test('bad cells: 422 import_invalid lists sheet/row/column/header, and nothing is written', async () => {
  const before = await totalProjects();
  const rows = rowsFor('白泽', 300, townships[0].name, townships[1].name);
  rows[1][7] = '约两亿'; // H4: not a number
  rows[2][4] = 'BADCODE'; // E5: not a credit code
  rows[0][8] = '2023-13-45'; // I3: not a date
  const r = await importXlsx(hq, workbook(rows));
  assert.equal(r.status, 422, show(r));
  assert.equal(r.body.error.code, 'import_invalid');
  const cells = cellsOf(r);
  assert.ok(Array.isArray(cells), `cells in ${show(r)}`);
  const find = (row, column) => cells.find((c) => Number(c.row) === row && c.column === column);
  const h4 = find(4, 'H');
  assert.ok(h4, `row 4 column H in ${JSON.stringify(cells)}`);
  assert.equal(h4.sheet, SHEET);
  assert.equal(h4.header, '总投资（亿元）');
  assert.ok(typeof h4.reason === 'string' && h4.reason.length > 0);
  assert.ok(find(5, 'E'), `row 5 column E in ${JSON.stringify(cells)}`);
  assert.ok(find(3, 'I'), `row 3 column I in ${JSON.stringify(cells)}`);
  assert.equal(cells.length, 3, `exactly the three bad cells: ${JSON.stringify(cells)}`);
  assert.equal(await totalProjects(), before, 'nothing written');
  assert.equal((await projectsMatching('白泽')).total, 0);
});

test('unknown category, level and township are cell errors too', async () => {
  const rows = rowsFor('白泽', 310, townships[0].name, '不存在镇');
  rows[0][2] = '航天项目';
  rows[2][6] = '国家重点';
  const r = await importXlsx(hq, workbook(rows));
  assert.equal(r.status, 422, show(r));
  const cells = cellsOf(r) ?? [];
  const at = cells.map((c) => `${c.column}${c.row}`).sort();
  assert.deepEqual(at, ['C3', 'F4', 'G5'], JSON.stringify(cells));
});

test('a sheet without the 项目名称 column is refused', async () => {
  const headers = HEADERS.slice(1);
  const rows = rowsFor('白泽', 320, townships[0].name, townships[1].name).map((r) => r.slice(1));
  const r = await importXlsx(hq, workbook(rows, { headers }));
  assert.equal(r.status, 422, show(r));
  assert.equal(r.body.error.code, 'import_invalid');
  assert.equal((await projectsMatching('白泽')).total, 0);
});

test('bytes that are not an xlsx are refused without a crash', async () => {
  const r = await importXlsx(hq, Buffer.from('PK\x03\x04 this is not really a zip file'));
  assert.ok([400, 422].includes(r.status), show(r));
  assert.ok(r.body?.error?.code, show(r));
  assert.equal((await hq.get('/health')).status, 200);
});

test('?dry_run=1 validates and counts but writes nothing', async () => {
  const before = await totalProjects();
  const rows = rowsFor('麒麟', 400, townships[0].name, townships[1].name).slice(0, 2);
  const r = await importXlsx(hq, workbook(rows), '?dry_run=1');
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body, { rows: 2, created: 2, updated: 0, dry_run: true });
  assert.equal(await totalProjects(), before);
  assert.equal((await projectsMatching('麒麟')).total, 0);
  const existing = await importXlsx(hq, workbook(rowsFor('青鸾', 200, townships[0].name, townships[1].name)), '?dry_run=1');
  assert.deepEqual(existing.body, { rows: 3, created: 0, updated: 3, dry_run: true });
  const bad = rows.map((x) => [...x]);
  bad[0][7] = -1;
  const br = await importXlsx(hq, workbook(bad), '?dry_run=1');
  assert.equal(br.status, 422, show(br));
  assert.equal(br.body.error.code, 'import_invalid');
});

test('a viewer cannot import', async () => {
  const r = await importXlsx(viewer, workbook(rowsFor('麒麟', 410, townships[0].name, townships[1].name)));
  assert.equal(r.status, 403, show(r));
  assert.equal((await projectsMatching('麒麟')).total, 0);
});

test('the template has the import headers and no data', async () => {
  const r = await hq.get('/projects/template.xlsx');
  assert.equal(r.status, 200, show(r));
  assert.match(r.headers['content-type'], /spreadsheetml\.sheet/);
  const { rows } = readSheet(r.raw);
  const h = findHeaderRow(rows, '项目名称');
  assert.ok(h >= 0, `header row in ${JSON.stringify(rows.slice(0, 3))}`);
  // Every import column is in the template; the money unit of 总投资 is the template's choice (万元 or 亿元).
  for (const name of HEADERS.filter((x) => !x.startsWith('总投资'))) assert.ok(rows[h].includes(name), `template header ${name}: ${JSON.stringify(rows[h])}`);
  assert.ok(rows[h].some((c) => /^总投资（(万元|亿元)）$/.test(c)), `总投资 column: ${JSON.stringify(rows[h])}`);
  assert.equal(rows.slice(h + 1).filter((x) => x.some((c) => c !== '')).length, 0, 'no data rows');
});

test('export with a filter holds exactly the matching projects', async () => {
  const r = await hq.get(`/projects/export.xlsx?q=${encodeURIComponent('青鸾')}`);
  assert.equal(r.status, 200, show(r));
  assert.match(r.headers['content-type'], /spreadsheetml\.sheet/);
  const { rows } = readSheet(r.raw);
  const h = findHeaderRow(rows, '项目名称');
  assert.ok(h >= 0);
  const nameCol = rows[h].indexOf('项目名称');
  const names = rows.slice(h + 1).filter((x) => x.some((c) => c !== '')).map((x) => x[nameCol]).sort();
  assert.deepEqual(names, ['青鸾城乡供水一体化工程', '青鸾康养综合体', '青鸾智能制造产业园'].sort());
  const invCol = rows[h].findIndex((c) => c.startsWith('总投资'));
  assert.ok(invCol >= 0, 'an investment column');
});

test('export → import → export gives the same sheet', async () => {
  const first = await hq.get('/projects/export.xlsx');
  assert.equal(first.status, 200, show(first));
  const sheet1 = readSheet(first.raw);
  const h = findHeaderRow(sheet1.rows, '项目名称');
  const dataRows = sheet1.rows.slice(h + 1).filter((x) => x.some((c) => c !== '')).length;
  assert.equal(dataRows, await totalProjects(), 'every project exported');
  const before = await totalProjects();
  const imp = await importXlsx(hq, first.raw);
  assert.equal(imp.status, 200, show(imp));
  assert.equal(imp.body.created, 0, show(imp));
  assert.equal(imp.body.rows, dataRows);
  assert.equal(await totalProjects(), before);
  const second = await hq.get('/projects/export.xlsx');
  assert.deepEqual(readSheet(second.raw).rows, sheet1.rows);
  const v = await hq.get('/audit/verify');
  assert.equal(v.body.ok, true, show(v));
});

test('CLI: `steward import projects FILE` reports counts and exits 0', async () => {
  const file = join(tmp, 'cli-good.xlsx');
  writeFileSync(file, workbook(rowsFor('獬豸', 500, townships[0].name, townships[1].name)));
  const r = runSteward(['import', 'projects', file, '--db', server.dbUrl]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\b3\b/, `counts in ${r.stdout}`);
  assert.match(r.stdout, /created/i, `counts in ${r.stdout}`);
  assert.equal((await projectsMatching('獬豸')).total, 3);
  const again = runSteward(['import', 'projects', file, '--db', server.dbUrl]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /\b3 updated|updated\D*\b3\b/i, `the second run updates: ${again.stdout}`);
  assert.equal((await projectsMatching('獬豸')).total, 3, 'no duplicates from the CLI either');
});

test('CLI: an import with bad cells exits non-zero, names the cell, and writes nothing', async () => {
  const before = await totalProjects();
  const rows = rowsFor('饕餮', 600, townships[0].name, townships[1].name);
  rows[1][7] = 'abc';
  const file = join(tmp, 'cli-bad.xlsx');
  writeFileSync(file, workbook(rows));
  const r = runSteward(['import', 'projects', file, '--db', server.dbUrl]);
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stdout + r.stderr, /H4|row 4|第\s*4\s*行/, r.stdout + r.stderr);
  assert.equal(await totalProjects(), before);
  const missing = runSteward(['import', 'projects', join(tmp, 'no-such.xlsx'), '--db', server.dbUrl]);
  assert.notEqual(missing.code, 0);
});

test('CLI: `steward export projects FILE` writes the library as xlsx', async () => {
  const file = join(tmp, 'export.xlsx');
  const r = runSteward(['export', 'projects', file, '--db', server.dbUrl]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(existsSync(file));
  const { rows } = readSheet(readFileSync(file));
  const h = findHeaderRow(rows, '项目名称');
  assert.ok(h >= 0);
  const nameCol = rows[h].indexOf('项目名称');
  const names = new Set(rows.slice(h + 1).map((x) => x[nameCol]));
  for (const n of ['青鸾智能制造产业园', '獬豸智能制造产业园', '獬豸康养综合体']) assert.ok(names.has(n), `${n} exported`);
  assert.equal(rows.slice(h + 1).filter((x) => x.some((c) => c !== '')).length, await totalProjects());
});

test('计划投产 is imported like 计划开工 and exported back', async () => {
  const headers = [...HEADERS, '计划投产'];
  const rows = rowsFor('朱雀', 520, townships[0].name, townships[1].name).map((r, i) => [...r, ['2024/6/30', '2025年3月1日', ''][i]]);
  const r = await importXlsx(hq, workbook(rows, { headers }));
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.created, 3, show(r));
  const list = await projectsMatching('朱雀');
  const got = {};
  for (const s of list.items) got[s.name] = (await hq.get(`/projects/${s.id}`)).body.planned_production;
  assert.deepEqual(got, { 朱雀智能制造产业园: '2024-06-30', 朱雀城乡供水一体化工程: '2025-03-01', 朱雀康养综合体: null });
  const bad = await importXlsx(hq, workbook([[...rows[0].slice(0, -1), '2024-13-40']], { headers }));
  assert.equal(bad.status, 422, show(bad));
  const cell = cellsOf(bad).find((c) => c.header === '计划投产');
  assert.ok(cell, show(bad));
  assert.equal(cell.column, 'J');

  const x = await hq.get(`/projects/export.xlsx?q=${encodeURIComponent('朱雀')}`);
  const sheet = readSheet(x.raw).rows;
  const h = findHeaderRow(sheet, '项目名称');
  const col = sheet[h].indexOf('计划投产时间');
  assert.ok(col >= 0, JSON.stringify(sheet[h]));
  const exported = Object.fromEntries(sheet.slice(h + 1).filter((x) => x[0] !== '').map((x) => [x[sheet[h].indexOf('项目名称')], x[col]]));
  assert.equal(exported['朱雀智能制造产业园'], '2024-06-30');
});

test('the export carries each project\'s 亮灯, 亮灯原因 and SPI; the template does not', async () => {
  const ev = await hq.post('/lights/evaluate', {});
  assert.equal(ev.status, 200, show(ev));
  const x = await hq.get('/projects/export.xlsx');
  assert.equal(x.status, 200, show(x));
  const sheet = readSheet(x.raw).rows;
  const h = findHeaderRow(sheet, '项目名称');
  const [lightCol, reasonCol, spiCol, nameCol] = ['亮灯', '亮灯原因', 'SPI', '项目名称'].map((n) => sheet[h].indexOf(n));
  assert.ok(lightCol >= 0 && reasonCol >= 0 && spiCol >= 0, JSON.stringify(sheet[h]));
  const all = await hq.get('/projects?page_size=200');
  assert.equal(all.status, 200, show(all));
  const byName = new Map();
  for (const p of all.body.items) byName.set(p.name, byName.has(p.name) ? null : p); // names that repeat are skipped
  const words = { red: '红灯', yellow: '黄灯', green: '绿灯' };
  const seen = new Set();
  let withReasons = 0;
  let withSpi = 0;
  for (const cells of sheet.slice(h + 1).filter((x) => x.some((c) => c !== ''))) {
    const row = [...cells, '', '', ''].map((c) => c ?? ''); // a row's trailing empty cells are not stored
    const p = byName.get(row[nameCol]);
    if (!p) continue;
    seen.add(p.light);
    assert.equal(row[lightCol], words[p.light] ?? '', `${p.name}: ${p.light}`);
    assert.equal(row[reasonCol], (p.light_reasons ?? []).map((r) => r.message).join('；'), p.name);
    if (p.light_reasons?.length) withReasons++;
    if (p.spi_bp == null) assert.equal(row[spiCol], '', p.name);
    else {
      withSpi++;
      assert.equal(Number(row[spiCol]).toFixed(2), (Math.round(p.spi_bp / 100) / 100).toFixed(2), `${p.name} spi ${p.spi_bp}`);
    }
  }
  assert.ok(seen.has('red') && seen.has('green'), `lights seen: ${[...seen]}`);
  assert.ok(withReasons > 0, 'some reasons exported');
  assert.ok(withSpi > 0, 'some SPI exported');
  const t = readSheet((await hq.get('/projects/template.xlsx')).raw).rows;
  const th = findHeaderRow(t, '项目名称');
  assert.ok(!t[th].includes('亮灯') && !t[th].includes('SPI'), JSON.stringify(t[th]));
});
