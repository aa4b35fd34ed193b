// Setting up a real county: `steward init`, the first-run page (GET/POST /setup), a city administrator's
// "add county" (POST /counties) and the region picker (GET /divisions), all from the national region list.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, createDatabase, runSteward, show, signedIn, sqlExec, startServer } from './harness.mjs';

const PW = 'Hengdong#2026';

function init(dbUrl, args, input) {
  return runSteward(['init', '--db', dbUrl, ...args], input === undefined ? {} : { input });
}

describe('steward init', () => {
  let db;
  let server;
  before(() => { db = createDatabase(); });
  after(async () => { await server?.stop(); db?.drop(); });

  test('on an empty database it sets up the county from the list and prints the next steps', async () => {
    const r = init(db.dbUrl, ['--region', '430424', '--admin', 'hd_admin', '--name', '刘主任', '--preset', 'hengdong'],
      `${PW}\n`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /county 430424 湖南省 \/ 衡阳市 \/ 衡东县 set up/);
    assert.match(r.stdout, /regions created from the national list: 430000, 430400, 430424/);
    assert.match(r.stdout, /总指挥部办公室 \(hq\), 17 townships, 2 parks/);
    assert.match(r.stdout, /preset hengdong stored/);
    assert.match(r.stdout, /next steps:[\s\S]*import projects[\s\S]*user add[\s\S]*serve/);

    server = await startServer({ dbUrl: db.dbUrl });
    const admin = await signedIn(server.url, 'hd_admin', PW);
    assert.deepEqual([...admin.user.roles].sort(), ['admin', 'hq']);
    assert.equal(admin.user.region_code, '430424');
    const units = await admin.get('/org-units');
    assert.equal(units.status, 200, show(units));
    const byName = new Map(units.body.items.map((u) => [u.name, u.kind]));
    assert.equal(byName.get('总指挥部办公室'), 'hq');
    assert.equal(byName.get('大浦镇'), 'township');
    assert.equal(byName.get('大浦工业园'), 'park');
    // The hq office, 17 townships, 2 parks, and the preset's named working groups (1+8+N: three named in the report).
    const kinds = units.body.items.reduce((m, u) => ({ ...m, [u.kind]: (m[u.kind] || 0) + 1 }), {});
    assert.deepEqual(kinds, { hq: 1, township: 17, park: 2, group: 3 });
    const regions = await admin.get('/regions');
    assert.deepEqual(regions.body.items.map((x) => x.name).sort(), ['湖南省', '衡东县', '衡阳市'].sort());
    const lifecycle = await admin.get('/rules/lifecycle');
    assert.equal(lifecycle.status, 200, show(lifecycle));
    assert.ok(lifecycle.body.version >= 1, 'the preset stored a version');
    // Everything it created is in the county's audit chain.
    const audit = await admin.get('/audit?page_size=200');
    assert.equal(audit.status, 200, show(audit));
    const entities = new Set(audit.body.items.map((e) => e.entity));
    for (const e of ['region', 'org_unit', 'user', 'county']) assert.ok(entities.has(e), `audit has ${e}`);
    const setup = await new Client(server.url).get('/setup');
    assert.equal(setup.body.configured, true);
  });

  test('refuses a county that already exists', () => {
    const r = init(db.dbUrl, ['--region', '430424', '--admin', 'hd_admin2', '--password', PW, '--add']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /衡东县（430424）已经建立/);
  });

  test('refuses a database holding another county unless --add; --add sets up a second county of the city', async () => {
    const refused = init(db.dbUrl, ['--region', '430426', '--admin', 'qd_admin', '--password', PW]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /数据库中已有 衡东县.*--add/);
    assert.equal(runSteward(['user', 'disable', '--db', db.dbUrl, '--username', 'qd_admin']).code, 1, 'nothing was created');

    const added = init(db.dbUrl, ['--region', '430426', '--admin', 'qd_admin', '--password', PW, '--add']);
    assert.equal(added.code, 0, added.stdout + added.stderr);
    assert.match(added.stdout, /regions created from the national list: 430426\n/, 'the city and province are reused');
    const qd = await signedIn(server.url, 'qd_admin', PW);
    assert.equal(qd.user.region_code, '430426');
    const units = await qd.get('/org-units');
    assert.ok(units.body.items.every((u) => u.region_code === '430426'));
    assert.ok(units.body.items.some((u) => u.name === '洪桥街道'), 'its own townships');
  });

  test('an unknown region code, a township code, an unknown preset and a weak password are refused', () => {
    const unknown = init(db.dbUrl, ['--region', '439999', '--admin', 'x1', '--password', PW, '--add']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /行政区划代码 439999 不在全国行政区划表中/);
    const city = init(db.dbUrl, ['--region', '430400', '--admin', 'x1', '--password', PW, '--add']);
    assert.notEqual(city.code, 0);
    assert.match(city.stderr, /不是县级行政区划/);
    const preset = init(db.dbUrl, ['--region', '430421', '--admin', 'x1', '--password', PW, '--add', '--preset', 'nowhere']);
    assert.notEqual(preset.code, 0);
    assert.match(preset.stderr, /没有这个县情预设：nowhere.*hengdong/);
    const weak = init(db.dbUrl, ['--region', '430421', '--admin', 'x1', '--add'], 'abc\n');
    assert.notEqual(weak.code, 0);
    assert.match(weak.stderr, /password/);
    const rows = sqlExec(db.dbUrl, "SELECT count(*) FROM regions WHERE code IN ('430421', '439999')");
    assert.match(String(rows), /\b0\b/, 'nothing partial was written');
  });

  test('`steward user add` refuses a region code the list does not know', () => {
    const r = runSteward(['user', 'add', '--db', db.dbUrl, '--username', 'u9', '--password', PW, '--display-name', '某',
      '--role', 'viewer', '--region', '999999']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /行政区划代码 999999 不在全国行政区划表中/);
  });
});

describe('first-run page and add county', () => {
  let fresh;
  before(async () => { fresh = await startServer({ demo: false }); });
  after(async () => { await fresh?.stop(); });

  test('GET /setup says no county is configured and lists the presets', async () => {
    const res = await new Client(fresh.url).get('/setup');
    assert.equal(res.status, 200, show(res));
    assert.equal(res.body.configured, false);
    assert.deepEqual(res.body.presets.map((p) => p.name).sort(), ['hengdong', 'jingle', 'lianshui', 'xianfeng', 'zhuxi']);
  });

  test('GET /divisions walks the list down to the townships, bounded', async () => {
    const c = new Client(fresh.url);
    const top = await c.get('/divisions');
    assert.equal(top.status, 200, show(top));
    assert.equal(top.body.items.length, 31);
    const city = await c.get('/divisions?parent=430400');
    assert.equal(city.body.parent.name, '衡阳市');
    assert.ok(city.body.items.some((d) => d.code === '430424' && d.level === 'county'));
    const county = await c.get('/divisions?parent=430424');
    assert.ok(county.body.items.some((d) => d.name === '大浦工业园' && d.park === true));
    assert.ok(county.body.items.some((d) => d.name === '大浦镇' && d.park === false));
    const bad = await c.get('/divisions?parent=999999');
    assert.equal(bad.status, 422, show(bad));
    assert.equal(bad.body.error.code, 'unknown_region');
  });

  test('POST /setup with the code from the log sets up the county once; its admin signs in', async () => {
    const m = /setup code ([A-Z0-9-]+)/.exec(fresh.stderr());
    assert.ok(m, `a setup code in the log: ${fresh.stderr()}`);
    const c = new Client(fresh.url);
    const body = { setup_code: m[1], region_code: '422826', preset: 'xianfeng',
      admin: { username: 'xf_admin', display_name: '咸丰管理员', password: PW } };
    const unknown = await c.post('/setup', { ...body, region_code: '429999' });
    assert.equal(unknown.status, 422, show(unknown));
    assert.match(unknown.body.error.message, /行政区划代码 429999 不在全国行政区划表中/);
    const res = await c.post('/setup', body);
    assert.equal(res.status, 201, show(res));
    assert.equal(res.body.county.name, '咸丰县');
    assert.equal(res.body.preset, 'xianfeng');
    const again = await c.post('/setup', { ...body, admin: { ...body.admin, username: 'xf2' } });
    assert.equal(again.status, 409, show(again));
    const admin = await signedIn(fresh.url, 'xf_admin', PW);
    assert.equal(admin.user.region_code, '422826');
    assert.equal((await c.get('/setup')).body.configured, true);
  });

  test('a city administrator adds a county of its own city; a county administrator and other cities may not', async () => {
    // 恩施州 exists now (setting up 咸丰县 created it from the list); add its administrator.
    assert.equal(runSteward(['user', 'add', '--db', fresh.dbUrl, '--username', 'es_admin', '--password', PW,
      '--display-name', '恩施州管理员', '--role', 'admin', '--region', '422800']).code, 0);
    const cityAdmin = await signedIn(fresh.url, 'es_admin', PW);
    const body = { region_code: '422801', admin: { username: 'es_city_admin', password: PW } };
    const outside = await cityAdmin.post('/counties', { ...body, region_code: '430424' });
    assert.equal(outside.status, 403, show(outside));
    const res = await cityAdmin.post('/counties', body);
    assert.equal(res.status, 201, show(res));
    assert.equal(res.body.county.name, '恩施市');
    const countyAdmin = await signedIn(fresh.url, 'xf_admin', PW);
    const denied = await countyAdmin.post('/counties', { ...body, region_code: '422802' });
    assert.equal(denied.status, 403, show(denied));
    const log = await cityAdmin.get('/audit?page_size=200');
    assert.ok(log.body.items.some((e) => e.entity === 'county' && e.region_code === '422801'), show(log));
  });
});
