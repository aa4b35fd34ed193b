// County rules as versioned data: the lifecycle stages a county works with, set from the command line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runSteward, show, startServer } from './harness.mjs';

let server;
// The county's clock: 10:00 on 15 March 2026 in Asia/Shanghai, moved by the tests (never the wall clock).
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const testClock = ['--clock-file', clock, '--allow-test-clock'];
before(async () => {
  fs.writeFileSync(clock, '2026-03-15T02:00:00Z\n');
  server = await startServer({ extraArgs: testClock });
});
after(async () => { await server?.stop(); });

test('a preset whose stages would strand existing projects is refused and changes nothing', async () => {
  const hq = new Client(server.url);
  await hq.login('hq', 'Steward@2026');
  const before = (await hq.get('/meta')).body.stages.map((s) => s.key);
  const r = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--preset', 'zhuxi']);
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /planning/);
  assert.deepEqual((await hq.get('/meta')).body.stages.map((s) => s.key), before);
});

test('a new rule set renames stages and moves a gate from its effective date, and is audited', async () => {
  const hq = new Client(server.url);
  await hq.login('hq', 'Steward@2026');
  const meta = (await hq.get('/meta')).body;
  const stages = meta.stages.map((s) => ({ ...s }));
  stages.find((s) => s.key === 'siting').name = '规划选址与供地';
  stages.find((s) => s.key === 'prereview').requires = ['enterprise_name'];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rules-')), 'rules.json');
  fs.writeFileSync(file, JSON.stringify({ preset: 'custom', stages }));

  const future = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--file', file,
    '--effective', '2026-03-16']);
  assert.equal(future.code, 0, future.stderr);
  assert.equal((await hq.get('/meta')).body.stages.find((s) => s.key === 'siting').name, '规划选址',
    'a rule set is not in force before its effective date');
  const old = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--file', file,
    '--effective', '2020-01-01']);
  assert.equal(old.code, 0, old.stderr);
  assert.equal((await hq.get('/meta')).body.stages.find((s) => s.key === 'siting').name, '规划选址',
    'an older effective date does not displace the rule set in force since 2023');

  // 23:59 on the 15th, county time: still the old rules. 00:30 on the 16th: the new ones are in force.
  fs.writeFileSync(clock, '2026-03-15T15:59:00Z\n');
  await hq.login('hq', 'Steward@2026');
  assert.equal((await hq.get('/meta')).body.stages.find((s) => s.key === 'siting').name, '规划选址');
  fs.writeFileSync(clock, '2026-03-15T16:30:00Z\n');
  await hq.login('hq', 'Steward@2026'); // the clock moved past the session's idle timeout
  assert.equal((await hq.get('/meta')).body.stages.find((s) => s.key === 'siting').name, '规划选址与供地',
    'in force from the county\'s midnight on its effective date');

  // Without --effective, a rule set takes effect on the county's today (the 16th by the clock).
  const today = '2026-03-16';
  const now = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--file', file, ...testClock]);
  assert.equal(now.code, 0, now.stderr);
  assert.match(now.stdout, /version 4/);
  assert.match(now.stdout, /in force from 2026-03-16/);
  const after = (await hq.get('/meta')).body;
  assert.equal(after.stages.find((s) => s.key === 'siting').name, '规划选址与供地');

  // The moved gate now applies: a project without an owner cannot enter 招商预审.
  const p = await hq.post('/projects', { name: '规则测试项目', category: 'industrial' });
  assert.equal(p.status, 201, show(p));
  const moved = await hq.post(`/projects/${p.body.id}/stage`, { stage: 'prereview' });
  assert.equal(moved.status, 409, show(moved));
  assert.deepEqual(moved.body.error.fields.map((f) => f.field), ['enterprise_name']);

  const audit = await hq.get('/audit?entity=rule_set');
  assert.equal(audit.status, 200, show(audit));
  assert.ok(audit.body.items.some((e) => e.entity_id === 'lifecycle/4' && e.after.effective_from === today));
});

test('a malformed rule file is refused', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rules-')), 'bad.json');
  fs.writeFileSync(file, JSON.stringify({ stages: [{ key: 'a', name: '甲' }, { key: 'a', name: '乙' }] }));
  const r = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--file', file]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /not a lifecycle rule set/);
});

test('the test clock is refused without --allow-test-clock', () => {
  const r = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--preset', 'hengdong',
    '--clock-file', clock]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /allow-test-clock/);
});

test('sessions idle out by the clock: 29 minutes keep a session, 31 more end it', async () => {
  fs.writeFileSync(clock, '2026-03-20T01:00:00Z\n');
  const c = new Client(server.url);
  assert.equal((await c.login('viewer', 'Steward@2026')).status, 200);
  fs.writeFileSync(clock, '2026-03-20T01:29:00Z\n');
  assert.equal((await c.get('/auth/me')).status, 200);
  fs.writeFileSync(clock, '2026-03-20T02:00:00Z\n');
  assert.equal((await c.get('/auth/me')).status, 401);
});

// The rule set in force, read through the API. By now the county has four lifecycle versions: 1 (demo, from
// 2023-01-01), 2 (from 2026-03-16), 3 (from 2020-01-01) and 4 (from 2026-03-16, stored later); the clock reads
// 20 March 2026.
test('GET /rules/lifecycle answers the version in force on a day, for any signed-in user of the county', async () => {
  fs.writeFileSync(clock, '2026-03-20T02:00:00Z\n');
  const viewer = new Client(server.url);
  await viewer.login('viewer', 'Steward@2026');
  const now = await viewer.get('/rules/lifecycle');
  assert.equal(now.status, 200, show(now));
  assert.equal(now.body.kind, 'lifecycle');
  assert.equal(now.body.region_code, '430424');
  assert.equal(now.body.version, 4, 'of two versions from the same day, the newer');
  assert.equal(now.body.effective_from, '2026-03-16');
  assert.equal(now.body.as_of, '2026-03-20', 'the county\'s today by the clock');
  assert.equal(now.body.author, 'system');
  assert.match(now.body.created_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(now.body.body.stages.find((s) => s.key === 'siting').name, '规划选址与供地');

  const cases = [['2026-03-15', 1], ['2026-03-16', 4], ['2023-01-01', 1], ['2022-12-31', 3], ['2020-01-01', 3]];
  for (const [day, version] of cases) {
    const r = await viewer.get(`/rules/lifecycle?as_of=${day}`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.version, version, `in force on ${day}`);
    assert.equal(r.body.as_of, day);
  }
  const none = await viewer.get('/rules/lifecycle?as_of=2019-12-31');
  assert.equal(none.status, 200, show(none));
  assert.equal(none.body.version, 0, 'before any version: the kind\'s default');
  assert.equal(none.body.effective_from, null);
  assert.equal(none.body.body.preset, 'hengdong');
  assert.equal(none.body.body.stages.length, 7);

  assert.equal((await new Client(server.url).get('/rules/lifecycle')).status, 401);
});

test('a bad as_of is 422, an unknown kind 404', async () => {
  const hq = new Client(server.url);
  await hq.login('hq', 'Steward@2026');
  for (const bad of ['2026-02-30', 'yesterday', '2026-3-1', '20260301']) {
    const r = await hq.get(`/rules/lifecycle?as_of=${encodeURIComponent(bad)}`);
    assert.equal(r.status, 422, `${bad}: ${show(r)}`);
    assert.deepEqual(r.body.error.fields, [{ field: 'as_of', reason: 'invalid_date' }]);
  }
  for (const path of ['/rules/league', '/rules/league/versions', '/rules/%E7%81%AF']) {
    const r = await hq.get(path);
    assert.equal(r.status, 404, `${path}: ${show(r)}`);
    assert.equal(r.body.error.code, 'unknown_kind');
    assert.match(r.body.error.message, /lifecycle/, 'the message names the known kinds');
  }
  const rankings = await hq.get('/rules/rankings');
  assert.equal(rankings.status, 200, show(rankings));
});

test('GET /rules/lifecycle/versions pages newest first within a bound', async () => {
  const viewer = new Client(server.url);
  await viewer.login('viewer', 'Steward@2026');
  const first = await viewer.get('/rules/lifecycle/versions?limit=2');
  assert.equal(first.status, 200, show(first));
  assert.deepEqual(first.body.items.map((v) => [v.version, v.effective_from]), [[4, '2026-03-16'], [3, '2020-01-01']]);
  assert.equal(first.body.next_before, 3);
  const rest = await viewer.get(`/rules/lifecycle/versions?limit=2&before=${first.body.next_before}`);
  assert.deepEqual(rest.body.items.map((v) => v.version), [2, 1]);
  assert.equal(rest.body.next_before, null);
  const all = await viewer.get('/rules/lifecycle/versions');
  assert.deepEqual(all.body.items.map((v) => v.version), [4, 3, 2, 1]);
  assert.ok(all.body.items.every((v) => v.kind === 'lifecycle' && v.region_code === '430424' && v.body.stages.length > 0));
  for (const limit of ['0', '101', 'x']) {
    const r = await viewer.get(`/rules/lifecycle/versions?limit=${limit}`);
    assert.equal(r.status, 422, `limit=${limit}: ${show(r)}`);
  }
});

test('a city user reads the rules of a county below it; nobody reads outside their scope', async () => {
  const city = new Client(server.url);
  await city.login('city', 'Steward@2026');
  const below = await city.get('/rules/lifecycle?region=430424&as_of=2026-03-20');
  assert.equal(below.status, 200, show(below));
  assert.equal(below.body.region_code, '430424');
  assert.equal(below.body.version, 4);
  const versions = await city.get('/rules/lifecycle/versions?region=430424');
  assert.deepEqual(versions.body.items.map((v) => v.version), [4, 3, 2, 1]);
  const own = await city.get('/rules/lifecycle');
  assert.equal(own.status, 200, show(own));
  assert.equal(own.body.region_code, '430400');
  assert.equal(own.body.version, 0, 'the city stored no lifecycle of its own');
  const other = await city.get('/rules/lifecycle?region=430421');
  assert.equal(other.body.version, 0, 'another county below the city, nothing stored');

  const hq = new Client(server.url);
  await hq.login('hq', 'Steward@2026');
  for (const region of ['430400', '430421', '430000', '999999', 'abc']) {
    for (const path of [`/rules/lifecycle?region=${region}`, `/rules/lifecycle/versions?region=${region}`]) {
      const r = await hq.get(path);
      assert.equal(r.status, 404, `${path}: ${show(r)}`);
    }
  }
  assert.equal((await hq.get('/rules/lifecycle?region=430424')).body.version, 4, 'its own region by name');
});

test('steward rules list prints each kind with its versions and effective dates', () => {
  const r = runSteward(['rules', 'list', '--db', server.dbUrl, '--region', '430424', ...testClock]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /today 2026-03-20/);
  assert.match(r.stdout, /^lifecycle \(项目生命周期\): version 4 in force$/m);
  const lines = r.stdout.split('\n').filter((l) => /^ {2}version /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 4).join(' '));
  assert.deepEqual(lines, ['version 4 from 2026-03-16', 'version 3 from 2020-01-01', 'version 2 from 2026-03-16',
    'version 1 from 2023-01-01']);
  const early = runSteward(['rules', 'list', '--db', server.dbUrl, '--region', '430421', ...testClock]);
  assert.equal(early.code, 0, early.stderr);
  assert.match(early.stdout, /^lifecycle \(项目生命周期\): default in force$/m);
});

test('the rules command names the known kinds and presets, and refuses a bad file naming the field', async () => {
  const kind = runSteward(['rules', 'league', '--db', server.dbUrl, '--region', '430424', '--preset', 'x']);
  assert.notEqual(kind.code, 0);
  assert.match(kind.stderr, /unknown rule kind league \(known: lifecycle, profile, cadence, lights, problems, rankings\)/);
  const preset = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--preset', 'nowhere']);
  assert.notEqual(preset.code, 0);
  assert.match(preset.stderr, /zhuxi, xianfeng, jingle, lianshui, hengdong/);
  const region = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '439999', '--preset', 'hengdong']);
  assert.notEqual(region.code, 0);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rules-'));
  const file = path.join(dir, 'typo.json');
  const hq = new Client(server.url);
  await hq.login('hq', 'Steward@2026');
  const stages = (await hq.get('/rules/lifecycle')).body.body.stages.map((s) => ({ ...s }));
  stages[1].requires = ['enterprise_nmae'];
  fs.writeFileSync(file, JSON.stringify({ stages }));
  const typo = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--file', file]);
  assert.notEqual(typo.code, 0);
  assert.match(typo.stderr, /not a lifecycle rule set/);
  assert.match(typo.stderr, /body\.stages\[1\]\.requires\[0\]: unknown_field/);
  fs.writeFileSync(file, '{"stages": [');
  const broken = runSteward(['rules', 'lifecycle', '--db', server.dbUrl, '--region', '430424', '--file', file]);
  assert.notEqual(broken.code, 0);
  assert.match(broken.stderr, /not a lifecycle rule set \(not JSON\)/);
  assert.deepEqual((await hq.get('/rules/lifecycle/versions')).body.items.map((v) => v.version), [4, 3, 2, 1],
    'nothing was stored');
});
