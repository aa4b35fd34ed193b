// The five accounts (五账法) on the county's clock: a unit sets up its ledger from its projects and open problems,
// sorts it, reconciles it against headquarters' figures (the differences listed, unreconciled while any remain),
// hands it in, and headquarters settles it; steps out of order are 409; a step done after its due day counts as
// late; a unit sees only its own row; every step is audited.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-ledger-'));
const clock = path.join(dir, 'now');
let server;
const as = {};
const names = ['hq', 'unit', 'unit2', 'viewer', 'inspector', 'enterprise'];
let unitId, unit2Id;

async function setDay(day) {
  fs.writeFileSync(clock, `${day}T02:00:00Z\n`);
  for (const n of names) await as[n].login(n);
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
const step = (who, s, body = {}, unit = unitId, month = '2026-11') => as[who].post(`/ledgers/${month}/${unit}/${s}`, body);

before(async () => {
  fs.writeFileSync(clock, '2026-11-02T02:00:00Z\n'); // Monday 2 November 2026
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(as.unit);
  unit2Id = await me(as.unit2);
  assert.ok(unitId && unit2Id && unitId !== unit2Id);
});
after(async () => { await server?.stop(); });

test('the month lists every unit with the due days; a unit sees its own row only', async () => {
  const m = await ok(as.hq.get('/ledgers?month=2026-11'));
  assert.deepEqual(m.deadlines, { set_up: '2026-11-05', sort: '2026-11-20', reconcile: '2026-11-25', hand_in: '2026-11-30', settle: '2026-12-05' });
  const row = m.units.find((u) => u.unit_id === unitId);
  assert.ok(row && m.units.length > 2);
  assert.equal(row.ledger_id, null);
  assert.equal(row.steps.set_up.at, null);
  assert.equal(row.late_steps, 0);
  const mine = await ok(as.unit.get('/ledgers?month=2026-11'));
  assert.deepEqual(mine.units.map((u) => u.unit_id), [unitId]);
  assert.equal((await as.unit.get(`/ledgers/2026-11/${unit2Id}`)).status, 403);
  assert.equal((await as.enterprise.get('/ledgers?month=2026-11')).status, 403);
  assert.equal((await as.hq.get('/ledgers?month=2026-13')).status, 422);
  // October 2026 ends on a Saturday: hand-in is Friday the 30th.
  assert.equal((await ok(as.hq.get('/ledgers?month=2026-10'))).deadlines.hand_in, '2026-10-30');
});

test('steps run in order, a late one counts, differences are listed until reconciled, settle freezes', async () => {
  let r = await step('unit', 'sort');
  assert.equal(r.status, 409, show(r));
  assert.equal(r.body.error.code, 'step_out_of_order');
  assert.equal((await step('unit', 'set_up', {}, unit2Id)).status, 403);
  assert.equal((await step('unit', 'settle')).status, 403, 'settling is headquarters\' step');
  assert.equal((await step('unit', 'audit')).status, 404);
  let l = await ok(step('unit', 'set_up', { note: '十一月台账' }));
  assert.ok(l.steps.set_up.at);
  assert.equal(l.steps.set_up.late, false);
  assert.equal(l.version, 1);
  const project = l.items.find((i) => i.kind === 'project');
  assert.ok(project, 'the unit has a project in its ledger');
  const expected = sqlExec(server.dbUrl, `SELECT COUNT(*) FROM projects WHERE unit_id = ${unitId} AND status <> 'cancelled'`);
  assert.equal(l.items.filter((i) => i.kind === 'project').length, Number(expected));

  // The 21st: sorting (due the 20th) is late; the unit changes a figure.
  await setDay('2026-11-21');
  l = await ok(step('unit', 'sort', { version: l.version, items: [{ kind: 'project', id: project.id, done_yuan: project.done_yuan + 12345 }] }));
  assert.equal(l.steps.sort.late, true);
  assert.equal(l.late_steps, 1);
  r = await step('unit', 'sort', { version: 1 });
  assert.equal(r.status, 409, show(r));
  assert.equal(r.body.error.code, 'version_conflict');
  r = await step('unit', 'sort', { items: [{ kind: 'project', id: 999999999 }] });
  assert.equal(r.status, 422, show(r));

  // Reconcile on time: the changed figure differs from headquarters'.
  l = await ok(step('unit', 'reconcile'));
  assert.equal(l.steps.reconcile.late, false);
  assert.equal(l.unreconciled, 1);
  assert.equal(l.differences_count, 1);
  assert.deepEqual(l.differences[0], {
    item: { kind: 'project', id: project.id, name: project.name }, field: 'done_yuan',
    unit_value: project.done_yuan + 12345, hq_value: project.done_yuan,
  });
  let row = (await ok(as.hq.get('/ledgers?month=2026-11'))).units.find((u) => u.unit_id === unitId);
  assert.equal(row.unreconciled, 1);
  assert.equal(row.differences_count, 1);
  // The stored columns the monthly ranking reads.
  assert.equal(sqlExec(server.dbUrl, `SELECT late_steps || '|' || unreconciled FROM ledgers WHERE unit_id = ${unitId} AND month = '2026-11'`), '1|1');

  // Sorting the figure back and reconciling again clears the differences.
  await ok(step('unit', 'sort', { items: [{ kind: 'project', id: project.id, done_yuan: project.done_yuan }] }));
  l = await ok(step('unit', 'reconcile'));
  assert.equal(l.unreconciled, 0);
  assert.deepEqual(l.differences, []);
  assert.equal(l.late_steps, 1, 'the first sorting stays late');

  l = await ok(step('unit', 'hand_in'));
  assert.ok(l.steps.hand_in.at);
  r = await step('unit', 'sort');
  assert.equal(r.status, 409, show(r));
  r = await step('unit', 'settle');
  assert.equal(r.status, 403, show(r));

  // Headquarters settles on 7 December, after the 5th: late.
  await setDay('2026-12-07');
  l = await ok(step('hq', 'settle'));
  assert.equal(l.steps.settle.late, true);
  assert.equal(l.late_steps, 2);
  r = await step('hq', 'reconcile');
  assert.equal(r.status, 409, show(r));
  assert.equal(r.body.error.code, 'settled');
  row = (await ok(as.inspector.get('/ledgers?month=2026-11'))).units.find((u) => u.unit_id === unitId);
  assert.equal(row.late_steps, 2);
  assert.equal(row.unreconciled, 0);
  // Every step was audited.
  const actions = sqlExec(server.dbUrl, `SELECT action FROM audit_log WHERE entity = 'ledger' ORDER BY id`).split('\n');
  assert.deepEqual(actions, ['set_up', 'sort', 'reconcile', 'sort', 'reconcile', 'hand_in', 'settle']);
});

test('a unit that has not set up its ledger after the 5th shows the step late', async () => {
  const row = (await ok(as.hq.get('/ledgers?month=2026-11'))).units.find((u) => u.unit_id === unit2Id);
  assert.equal(row.ledger_id, null);
  assert.equal(row.steps.set_up.late, true);
  assert.equal(row.late_steps, 5, 'on 7 December every step of November is past its due day');
});

test("the due days follow the county's ranking rules (member ledger): a step late under one rule is on time under another", async () => {
  const { runSteward } = await import('./harness.mjs');
  const file = path.join(dir, 'rankings.json');
  fs.writeFileSync(file, JSON.stringify({
    factors: [{ key: 'ledger', label: '五账法', weight: 100, measure: 'count', curve: 'deduct', per_item: 500 }],
    ledger: { set_up_day: 10, sort_day: 18, reconcile_day: 22, hand_in_day: 26, settle_day: 8 },
  }));
  const r = runSteward(['rules', 'rankings', '--db', server.dbUrl, '--region', '430424', '--file', file, '--effective', '2026-01-01']);
  assert.equal(r.code, 0, r.stderr);
  await setDay('2026-12-07');
  const m = await ok(as.hq.get('/ledgers?month=2026-12'));
  assert.deepEqual(m.deadlines, { set_up: '2026-12-10', sort: '2026-12-18', reconcile: '2026-12-22', hand_in: '2026-12-26', settle: '2027-01-08' });
  // Set up on the 7th: on time under the county's 10th (it would be late after the default 5th).
  const b = await ok(step('unit', 'set_up', {}, unitId, '2026-12'));
  assert.equal(b.steps.set_up.late, false, JSON.stringify(b.steps));
  assert.equal(b.late_steps, 0);
  // A bad ledger rule is refused with its field and stores nothing.
  fs.writeFileSync(file, JSON.stringify({
    factors: [{ key: 'ledger', label: '五账法', weight: 100 }], ledger: { set_up_day: 20, sort_day: 10 } }));
  const bad = runSteward(['rules', 'rankings', '--db', server.dbUrl, '--region', '430424', '--file', file, '--effective', '2026-01-01']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /body\.ledger/);
  assert.equal((await ok(as.hq.get('/ledgers?month=2026-12'))).deadlines.set_up, '2026-12-10');
});
