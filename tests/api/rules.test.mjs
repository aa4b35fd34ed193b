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
