// The xlsx import under attack (penetration test items 5, 9 and 13): bombs in every spelling are refused with
// 413 (a limit, named in the body) or 422 (a broken file) and write nothing; each row passes the API's own
// validation, reported at its cell; bad text and a missing 项目类别 column are 4xx or work, never 500.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { XLSX_TYPE, show, signedIn, startServer } from '../api/harness.mjs';
import { buildXlsx, zip } from '../api/xlsx.mjs';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const SHEET = '项目库';

let server;
let hq;

before(async () => {
  server = await startServer();
  hq = await signedIn(server.url, 'hq');
});
after(async () => {
  await server?.stop();
});

const importXlsx = (bytes, dry) => hq.post(`/projects/import${dry ? '?dry_run=1' : ''}`, bytes, { contentType: XLSX_TYPE });
const cellsOf = (res) => res.body?.error?.cells ?? [];

async function totalProjects() {
  const r = await hq.get('/projects?page_size=1');
  assert.equal(r.status, 200, show(r));
  return r.body.total;
}

// A package of hand-written parts: worksheets (S1, S2, …), and optional sharedStrings, styles, extra entries.
function pkg(sheets, { sst, styles, extra = [], prolog = '' } = {}) {
  const wb = `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
    sheets.map((_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') + '</sheets></workbook>';
  const rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    '</Relationships>';
  return zip([
    { name: 'xl/workbook.xml', data: wb },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: prolog + `<worksheet ${NS}><sheetData>${s}</sheetData></worksheet>` })),
    ...(sst ? [{ name: 'xl/sharedStrings.xml', data: sst }] : []),
    ...(styles ? [{ name: 'xl/styles.xml', data: styles }] : []),
    ...extra,
  ]);
}

const HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>';

// Zeroes the uncompressed size of every entry in the local and central headers: the directory lies.
function lieAboutSizes(buf) {
  const out = Buffer.from(buf);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) out.writeUInt32LE(100, i + 22);
    else if (sig === 0x02014b50) out.writeUInt32LE(100, i + 24);
  }
  return out;
}

const bigSheet = () => Buffer.alloc(120 << 20, '<row/>').toString('latin1');

const BOMBS = [
  ['a sheet that inflates to 120 MB', () => pkg([bigSheet()]), 413],
  ['the same bomb with sizes in the zip directory that lie', () => lieAboutSizes(pkg([bigSheet()])), [413, 422]],
  ['101 sheets', () => pkg(Array(101).fill(HEADER)), 413],
  ['1,200,000 shared strings', () => pkg([HEADER], { sst: `<sst ${NS}>` + '<si><t>x</t></si>'.repeat(1_200_000) + '</sst>' }), 413],
  ['five million tiny empty cells', () => pkg([HEADER + '<row r="2">' + '<c/>'.repeat(5_000_000) + '</row>']), 413],
  ['XML nested 100,000 deep', () => pkg([HEADER + '<row r="2"><c r="A2">' + '<x>'.repeat(100_000) + '</x>'.repeat(100_000) + '</c></row>']), 413],
  ['a huge styles part', () => pkg([HEADER], { styles: '<styleSheet><cellXfs>' + '<xf numFmtId="14"/>'.repeat(2_000_000) + '</cellXfs></styleSheet>' }), 413],
  ['3000 zip entries', () => pkg([HEADER], { extra: Array.from({ length: 3000 }, (_, i) => ({ name: `junk/${i}.xml`, data: 'x' })) }), 413],
  ['a cell of 3 MB of text', () => pkg([HEADER + `<row r="2"><c r="A2" t="inlineStr"><is><t>${randomBytes(1_500_000).toString('hex')}</t></is></c></row>`]), 413, { row: 2, column: 'A' }],
  ['a 3 MB attribute in one tag', () => pkg([HEADER + `<row r="2" x="${randomBytes(1_500_000).toString('hex')}"/>`]), 413],
  ['row r="99999999"', () => pkg([HEADER + '<row r="99999999"><c><v>1</v></c></row>']), 422],
  ['a value in column XFD', () => pkg([HEADER + '<row r="2"><c r="XFD2"><v>1</v></c></row>']), 413],
  ['a DTD with entity expansion', () => pkg([HEADER], { prolog: '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' }), 422],
];

for (const [name, build, status, at] of BOMBS) {
  for (const dry of [true, false]) {
    test(`bomb: ${name} is refused (${dry ? 'dry run' : 'real run'}), nothing written`, async () => {
      const before = await totalProjects();
      const r = await importXlsx(build(), dry);
      const allowed = Array.isArray(status) ? status : [status];
      assert.ok(allowed.includes(r.status), show(r));
      assert.ok(r.body?.error?.code, show(r));
      if (r.status === 413) {
        assert.equal(r.body.error.code, 'import_too_large', show(r));
        assert.ok(r.body.error.limit?.name && r.body.error.limit.max > 0, `the limit is named: ${show(r)}`);
        assert.deepEqual(r.body.error.fields, [{ field: 'file', reason: r.body.error.limit.name }]);
      }
      if (at) {
        const cell = cellsOf(r)[0];
        assert.equal(cell?.sheet, 'S1', show(r));
        assert.equal(Number(cell.row), at.row, show(r));
        assert.equal(cell.column, at.column, show(r));
      }
      assert.equal(await totalProjects(), before, 'nothing written');
      assert.equal((await hq.get('/health')).status, 200);
    });
  }
}

// ---- One validation path: what the API refuses, the import refuses at the cell ----

const HEADERS = ['项目名称', '项目类别', '总投资（万元）', '企业自筹（万元）', '计划开工时间', '计划竣工时间'];
const book = (rows, headers = HEADERS) => buildXlsx({ name: SHEET, rows: [headers, ...rows] });

const API_CASES = [
  ['funding larger than the total', ['鸿鹄资金超总投资项目', '产业项目', 100, 150, '2026-03-01', '2027-03-01'], 'C', '超过总投资',
    { name: '鸿鹄资金超总投资项目', total_investment: 1_000_000, funding: { self_raised: 1_500_000 } }],
  ['completion before start', ['鸿鹄竣工早于开工项目', '产业项目', 100, 50, '2026-03-01', '2025-03-01'], 'F', '早于开工',
    { name: '鸿鹄竣工早于开工项目', planned_start: '2026-03-01', planned_completion: '2025-03-01' }],
  ['a 5,000-character name', ['鸿'.repeat(5000), '产业项目', 100, 50, '2026-03-01', '2027-03-01'], 'A', '过长',
    { name: '鸿'.repeat(5000) }],
];

for (const [name, row, column, reason, apiBody] of API_CASES) {
  test(`import validates like the API: ${name}`, async () => {
    const api = await hq.post('/projects', apiBody);
    assert.equal(api.status, 422, `the API refuses it: ${show(api)}`);
    const before = await totalProjects();
    for (const dry of [true, false]) {
      const r = await importXlsx(book([row]), dry);
      assert.equal(r.status, 422, show(r));
      assert.equal(r.body.error.code, 'import_invalid');
      const cells = cellsOf(r);
      assert.equal(cells.length, 1, JSON.stringify(cells));
      assert.equal(cells[0].sheet, SHEET);
      assert.equal(Number(cells[0].row), 2);
      assert.equal(cells[0].column, column, JSON.stringify(cells));
      assert.ok(cells[0].reason.includes(reason), JSON.stringify(cells));
      assert.equal(await totalProjects(), before, 'nothing written');
    }
  });
}

// ---- 500s caused by input ----

test('a sheet without a 项目类别 column imports, in the dry run and the real run alike', async () => {
  const headers = ['项目名称', '总投资（万元）'];
  const bytes = book([['鸿鹄无类别项目', 100]], headers);
  const dry = await importXlsx(bytes, true);
  assert.equal(dry.status, 200, show(dry));
  const real = await importXlsx(bytes, false);
  assert.equal(real.status, 200, show(real));
  assert.equal(real.body.created, 1);
  const list = await hq.get(`/projects?q=${encodeURIComponent('鸿鹄无类别项目')}`);
  assert.equal(list.body.total, 1, show(list));
  assert.equal(list.body.items[0].category, 'other');
});

const TEXT_CASES = [
  ['a lone surrogate escape _xD800_', `<c r="A2" t="inlineStr"><is><t>鸿鹄_xD800_项目</t></is></c>`],
  ['a low surrogate escape _xDFFF_ in a shared string', `<c r="A2" t="s"><v>0</v></c>`, `<sst ${NS}><si><t>_xDFFF_</t></si></sst>`],
  ['a NUL escape _x0000_', `<c r="A2" t="inlineStr"><is><t>a_x0000_b</t></is></c>`],
  ['bytes that are not UTF-8', Buffer.concat([Buffer.from('<c r="A2" t="inlineStr"><is><t>a'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</t></is></c>')])],
];

for (const [name, cell, sst] of TEXT_CASES) {
  test(`${name} is a 422 at its cell, in the dry run and the real run alike`, async () => {
    const sheet = Buffer.from(`<worksheet ${NS}><sheetData>${HEADER}<row r="2">`, 'utf8');
    const body = Buffer.concat([sheet, Buffer.isBuffer(cell) ? cell : Buffer.from(cell, 'utf8'), Buffer.from('</row></sheetData></worksheet>')]);
    const bytes = zip([
      { name: 'xl/workbook.xml', data: `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S1" sheetId="1" r:id="rId1"/></sheets></workbook>` },
      { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' },
      { name: 'xl/worksheets/sheet1.xml', data: body },
      ...(sst ? [{ name: 'xl/sharedStrings.xml', data: sst }] : []),
    ]);
    const before = await totalProjects();
    for (const dry of [true, false]) {
      const r = await importXlsx(bytes, dry);
      assert.equal(r.status, 422, show(r));
      assert.equal(r.body.error.code, 'import_invalid');
      const c = cellsOf(r)[0];
      assert.equal(c?.sheet, 'S1', show(r));
      assert.equal(Number(c.row), 2, show(r));
      assert.equal(c.column, 'A', show(r));
      assert.equal(await totalProjects(), before, 'nothing written');
    }
  });
}
