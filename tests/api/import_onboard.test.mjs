// An import that onboards a county (issue 8): units and people the sheet names but the county lacks are listed
// once each by the dry run, refused (grouped) without create_missing, and created with it, audited.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, XLSX_TYPE, runSteward, show, signedIn, startServer } from './harness.mjs';
import { buildXlsx } from './xlsx.mjs';

const HQ_NAME = '刘建华'; // the demo's hq user
const HEADERS = ['项目名称', '项目类别', '责任单位', '项目长', '总投资（万元）'];
let server;
let hq;
let admin;
let tmp;

before(async () => {
  server = await startServer();
  hq = await signedIn(server.url, 'hq');
  admin = await signedIn(server.url, 'admin');
  tmp = mkdtempSync(join(tmpdir(), 'steward-onboard-'));
});
after(async () => {
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const sheet = (rows) => buildXlsx({ name: '项目库', rows: [['衡东县2026年重点项目'], HEADERS, ...rows], merges: ['A1:E1'] });
const importXlsx = (bytes, query = '') => hq.post(`/projects/import${query}`, bytes, { contentType: XLSX_TYPE });
const decisionsQuery = (d) => `&decisions=${encodeURIComponent(JSON.stringify(d))}`;

// Rows 3..8 of the sheet (row 1 is the title, row 2 the header).
function rowsFor(m) {
  return [
    [`${m}乡村振兴示范片`, '产业项目', '县乡村振兴局', '陈晓燕', 1200],
    [`${m}高新区标准厂房`, '产业项目', '衡东高新区', '陈晓燕', 800],
    [`${m}城区停车场`, '基础设施', '县发改局', '王志刚', 300],
    [`${m}乡村康养中心`, '社会民生', '县乡村振兴局', '刘卫国', 500],
    [`${m}国道改线`, '基础设施', '县交通运输局', '', 900],
    [`${m}融媒体演播厅`, '社会民生', '衡东县融媒体中心', '', 700],
    [`${m}融媒体发射塔`, '社会民生', '县融媒体中心', '', 650],
  ];
}

async function units() {
  const r = await hq.get('/org-units');
  assert.equal(r.status, 200, show(r));
  return r.body.items;
}
async function projectsNamed(q) {
  const r = await hq.get(`/projects?q=${encodeURIComponent(q)}&page_size=100`);
  assert.equal(r.status, 200, show(r));
  return r.body.items;
}

test('the dry run lists each unknown unit and person once, with the inferred kind, rows and near-duplicate warnings', async () => {
  const before = (await units()).length;
  const r = await importXlsx(sheet(rowsFor('甲')), '?dry_run=1');
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.rows, 7);
  assert.equal(r.body.created, 7);
  const m = r.body.missing;
  assert.ok(m, show(r));
  const byName = Object.fromEntries(m.units.map((u) => [u.name, u]));
  assert.deepEqual(m.units.map((u) => u.name), ['县乡村振兴局', '衡东高新区', '县发改局', '衡东县融媒体中心', '县融媒体中心']);
  assert.equal(byName['县乡村振兴局'].kind, 'department');
  assert.deepEqual(byName['县乡村振兴局'].rows, [3, 6]);
  assert.equal(byName['衡东高新区'].kind, 'park');
  assert.equal(byName['县发改局'].kind, 'approval');
  for (const u of m.units) assert.equal(u.creatable, true);
  assert.deepEqual(m.people.map((p) => [p.name, p.rows, p.rank]), [['陈晓燕', [3, 4], 'county_leader'], ['刘卫国', [6], 'county_leader']]);
  const warned = m.warnings.map((w) => `${w.name}|${w.similar_to}|${w.existing}`);
  assert.ok(warned.includes('县发改局|县发展和改革局|true'), JSON.stringify(m.warnings));
  assert.ok(warned.includes('县融媒体中心|衡东县融媒体中心|false'), JSON.stringify(m.warnings));
  assert.equal(m.warnings.length, 2, JSON.stringify(m.warnings));
  assert.equal((await units()).length, before, 'a dry run creates nothing');
  assert.equal((await projectsNamed('甲')).length, 0);
});

test('without create_missing the import is refused, grouped by name (not one error per cell), and nothing is written', async () => {
  const before = (await units()).length;
  const r = await importXlsx(sheet(rowsFor('乙')));
  assert.equal(r.status, 422, show(r));
  assert.equal(r.body.error.code, 'import_invalid');
  assert.match(r.body.error.message, /5 个系统中没有的单位、2 名系统中没有的人员/);
  assert.match(r.body.error.message, /--create-missing/);
  assert.deepEqual(r.body.error.cells, [], 'unknown names are not cell errors');
  assert.equal(r.body.error.missing.units.length, 5);
  assert.equal(r.body.error.missing.people.length, 2);
  assert.equal((await units()).length, before);
  assert.equal((await projectsNamed('乙')).length, 0);
});

test('other bad cells are still reported per cell, beside the grouped names', async () => {
  const rows = rowsFor('丙');
  rows[1][4] = '很多';
  const r = await importXlsx(sheet(rows), '?dry_run=1');
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(r.body.error.cells.map((c) => `${c.column}${c.row}`), ['E4']);
  assert.equal(r.body.error.missing.units.length, 5);
});

test('with create_missing the units and people are created with the projects, as edited, and audited', async () => {
  const before = (await units()).length;
  const edits = { units: { 衡东高新区: 'department', 县发改局: 'skip' }, people: {} };
  const r = await importXlsx(sheet(rowsFor('丁')), `?create_missing=1${decisionsQuery(edits)}`);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.created, 7);
  const made = r.body.onboarded;
  assert.deepEqual(made.units.map((u) => [u.name, u.kind]),
    [['县乡村振兴局', 'department'], ['衡东高新区', 'department'], ['衡东县融媒体中心', 'department'], ['县融媒体中心', 'department']]);
  assert.deepEqual(made.skipped.units, ['县发改局']);
  assert.deepEqual(made.people.map((p) => p.display_name), ['陈晓燕', '刘卫国']);
  const all = await units();
  assert.equal(all.length, before + 4);
  assert.ok(!all.some((u) => u.name === '县发改局'), 'a skipped unit is not created');

  // The projects point at what was created; a skipped unit leaves the field empty.
  const projects = Object.fromEntries((await projectsNamed('丁')).map((p) => [p.name, p]));
  const p1 = (await hq.get(`/projects/${projects['丁乡村振兴示范片'].id}`)).body;
  assert.equal(p1.unit_id, made.units[0].id);
  assert.equal(p1.leader_id, made.people[0].id);
  const p3 = (await hq.get(`/projects/${projects['丁城区停车场'].id}`)).body;
  assert.equal(p3.unit_id, null);

  // Each creation is in the audit trail as part of the import, by the importing user.
  for (const [entity, id] of [['org_unit', made.units[0].id], ['user', made.people[1].id]]) {
    const a = await hq.get(`/audit?entity=${entity}&entity_id=${id}`);
    assert.equal(a.status, 200, show(a));
    assert.equal(a.body.items.length, 1, show(a));
    assert.equal(a.body.items[0].action, 'import_create');
    assert.equal(a.body.items[0].actor_name, HQ_NAME);
  }

  // People created this way are county leaders without a sign-in.
  const users = await admin.get(`/users?q=${encodeURIComponent('陈晓燕')}`);
  assert.equal(users.status, 200, show(users));
  const chen = users.body.items.find((u) => u.id === made.people[0].id);
  assert.equal(chen.rank, 'county_leader');
  assert.deepEqual(chen.roles, ['leader']);
  assert.equal(chen.has_login, false);
  const hqUser = (await admin.get('/users?q=hq')).body.items.find((u) => u.username === 'hq');
  assert.equal(hqUser.has_login, true);
  const login = await new Client(server.url).post('/auth/login', { username: made.people[0].username, password: '!' }, { csrf: false });
  assert.equal(login.status, 401, show(login));

  // The next import finds them: nothing is missing any more but the skipped unit.
  const again = await importXlsx(sheet(rowsFor('丁')), '?dry_run=1');
  assert.equal(again.status, 200, show(again));
  assert.deepEqual(again.body.missing.units.map((u) => u.name), ['县发改局']);
  assert.deepEqual(again.body.missing.people, []);
});

test('the headquarters office is never created by an import, whatever the edited list says', async () => {
  const before = (await units()).length;
  const rows = [['戊指挥部项目', '产业项目', '县重点项目建设总指挥部办公室', '', 100]];
  const dry = await importXlsx(sheet(rows), '?dry_run=1');
  assert.equal(dry.status, 200, show(dry));
  assert.deepEqual(dry.body.missing.units.map((u) => [u.name, u.kind, u.creatable]), [['县重点项目建设总指挥部办公室', 'hq', false]]);
  const r = await importXlsx(sheet(rows), '?create_missing=1');
  assert.equal(r.status, 422, show(r));
  assert.match(r.body.error.message, /总指挥部办公室不能通过导入新建/);
  const forced = await importXlsx(sheet(rows), `?create_missing=1${decisionsQuery({ units: { 县重点项目建设总指挥部办公室: 'hq' } })}`);
  assert.equal(forced.status, 422, show(forced));
  assert.equal((await units()).length, before);
  const skipped = await importXlsx(sheet(rows), `?create_missing=1${decisionsQuery({ units: { 县重点项目建设总指挥部办公室: 'skip' } })}`);
  assert.equal(skipped.status, 200, show(skipped));
  assert.equal((await units()).length, before);
  assert.equal((await projectsNamed('戊指挥部项目')).length, 1);
});

test('CLI: import --dry-run lists the names, the plain import refuses them, --create-missing creates them', () => {
  const file = join(tmp, 'onboard.xlsx');
  writeFileSync(file, sheet([
    ['己智慧农业园', '产业项目', '县数据资源局', '欧阳明', 1000],
    ['己物流中心', '产业项目', '县数据资源局', '', 1000],
  ]));
  const dry = runSteward(['import', 'projects', file, '--db', server.dbUrl, '--as', 'hq', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /unit\s+县数据资源局\s+kind department\s+rows 3,4/);
  assert.match(dry.stdout, /person 欧阳明\s+county leader\s+rows 3/);
  assert.match(dry.stdout, /--create-missing/);
  const refused = runSteward(['import', 'projects', file, '--db', server.dbUrl, '--as', 'hq']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /1 个系统中没有的单位、1 名系统中没有的人员/);
  assert.match(refused.stderr, /unit\s+县数据资源局/);
  const made = runSteward(['import', 'projects', file, '--db', server.dbUrl, '--as', 'hq', '--create-missing']);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /imported 2 rows: 2 created/);
  assert.match(made.stdout, /created unit 县数据资源局 \(department\)/);
  assert.match(made.stdout, /created person 欧阳明 \(county leader, no sign-in yet/);
});

test('a township the county lacks but the national region list has attaches to the list: listed, created with its kind', async () => {
  const headers = ['项目名称', '项目类别', '所在乡镇', '总投资（万元）'];
  const book = (rows) => buildXlsx({ name: '项目库', rows: [headers, ...rows] });
  const rows = [['石滩乡油茶基地', '产业项目', '石滩乡', 600], ['大浦工业园配套路网', '基础设施', '大浦工业园', 900]];
  const dry = await importXlsx(book(rows), '?dry_run=1');
  assert.equal(dry.status, 200, show(dry));
  const byName = new Map(dry.body.missing.units.map((u) => [u.name, u]));
  assert.equal(byName.get('石滩乡').kind, 'township');
  assert.equal(byName.get('石滩乡').listed, true);
  assert.equal(byName.get('大浦工业园').kind, 'park', 'the list marks it a park');
  assert.equal(byName.get('大浦工业园').listed, true);

  // A township the list does not know for this county stays a cell error, saying so.
  const bad = await importXlsx(book([...rows, ['火星镇示范园', '产业项目', '火星镇', 100]]), '?dry_run=1&create_missing=1');
  assert.equal(bad.status, 422, show(bad));
  const cell = bad.body.error.cells.find((c) => c.row === 4);
  assert.match(cell.reason, /火星镇（全国行政区划表中本县没有这个乡镇）/);
  assert.equal(cell.column, 'C');

  const done = await importXlsx(book(rows), '?create_missing=1');
  assert.equal(done.status, 200, show(done));
  const created = new Map(done.body.onboarded.units.map((u) => [u.name, u.kind]));
  assert.equal(created.get('石滩乡'), 'township');
  assert.equal(created.get('大浦工业园'), 'park');
  const [p] = await projectsNamed('石滩乡油茶基地');
  assert.equal(p.township_name, '石滩乡');
  const [q] = await projectsNamed('大浦工业园配套路网');
  assert.equal(q.township_name, '大浦工业园');
});
