// The monthly ranking (挂榜排名) on the county's clock: an open month is a live preview; a month closes only after
// its last day, into revision 1 that freezes rules, figures and result (digest stable, verify identical) against
// later changes of data and rules; a revision with its reason is numbered 2 beside 1; yellow cards follow from
// the data under a line rule and the third in a row is a summons; in Propose mode headquarters chooses among the
// proposed; the trend, the drill-down and the yellow-card register; who may close; bad bodies.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runSteward, show, sqlExec, startServer } from './harness.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rank-'));
const clock = path.join(dir, 'now');
let server;
const as = {};
const names = ['hq', 'unit', 'unit2', 'viewer', 'leader', 'enterprise', 'city'];
let unitId, unit2Id;

async function setNow(ts) {
  fs.writeFileSync(clock, `${ts}\n`);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
function rules(body) {
  const file = path.join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(body));
  const r = runSteward(['rules', 'rankings', '--db', server.dbUrl, '--region', '430424', '--file', file, '--effective', '2026-01-01']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
}
function preset(name) {
  const r = runSteward(['rules', 'rankings', '--db', server.dbUrl, '--region', '430424', '--preset', name, '--effective', '2026-01-01']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
}
// A clean ledger (no late or unreconciled step) for a unit and month.
function cleanLedger(unit, month) {
  sqlExec(server.dbUrl, `INSERT INTO ledgers (region_code, month, unit_id, late_steps, unreconciled, updated_at) VALUES ('430424', '${month}', ${unit}, 0, 0, '2026-11-01T00:00:00Z')`);
}
// Ledger discipline alone decides: a unit with no ledger of the month counts 5 items (0 points, below the line).
const LEDGER_ONLY = {
  factors: [{ key: 'ledger', label: '五账法', weight: 100, measure: 'count', curve: 'deduct', per_item: 2000 }],
  yellow: { enabled: true, mode: 'line', line: 6000, summons_after: 3 },
};

before(async () => {
  fs.writeFileSync(clock, '2026-11-15T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(as.unit);
  unit2Id = await me(as.unit2);
  rules(LEDGER_ONLY);
  for (const m of ['2026-08', '2026-09', '2026-10']) cleanLedger(unitId, m);
});
after(async () => { await server?.stop(); });

test('an open month is a live preview from the data; it cannot close before its last day has passed', async () => {
  const b = await ok(as.viewer.get('/rankings?month=2026-11'));
  assert.equal(b.status, 'open');
  assert.equal(b.revision, null);
  assert.deepEqual(b.revisions, []);
  const ids = b.units.map((u) => u.id);
  assert.ok(ids.includes(unitId) && ids.includes(unit2Id), JSON.stringify(ids));
  assert.deepEqual(b.units.map((u) => u.rank), b.units.map((_, i) => i + 1));
  assert.equal(b.rules.factors[0].key, 'ledger');
  const u2 = b.units.find((u) => u.id === unit2Id);
  assert.equal(u2.factors[0].raw, 5, 'no ledger of the month counts five items');
  assert.equal(u2.total, 0);
  assert.equal(u2.yellow_card, true);
  // Default month: the last one in the county's day.
  assert.equal((await ok(as.unit.get('/rankings'))).month, '2026-10');
  const early = await as.hq.post('/rankings/2026-11/close', {});
  assert.equal(early.status, 409, show(early));
  assert.equal(early.body.error.code, 'month_not_ended');
  // The last day itself is not enough: the month ends when the day after begins.
  await setNow('2026-11-30T15:00:00Z'); // 23:00 on the 30th in the county
  assert.equal((await as.hq.post('/rankings/2026-11/close', {})).body.error.code, 'month_not_ended');
  await setNow('2026-11-15T02:00:00Z');
});

test('only headquarters closes; bad bodies are 422', async () => {
  assert.equal((await as.unit.post('/rankings/2026-08/close', {})).status, 403);
  assert.equal((await as.viewer.post('/rankings/2026-08/close', {})).status, 403);
  assert.equal((await as.enterprise.get('/rankings?month=2026-08')).status, 403);
  for (const body of [{ chosen: 'x' }, { chosen: [1.5] }, { chosen: Array.from({ length: 101 }, (_, i) => i + 1) }, { colour: 'red' }]) {
    const r = await as.hq.post('/rankings/2026-08/close', body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 60)} ${show(r)}`);
  }
  assert.equal((await as.hq.post('/rankings/2026-13/close', {})).status, 422);
  // Line mode: headquarters chooses nothing.
  const r = await as.hq.post('/rankings/2026-08/close', { chosen: [unit2Id] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(r.body.error.fields.map((f) => f.reason), ['not_propose_mode']);
  assert.equal((await as.hq.post('/rankings/2026-10/revisions', { reason: '更正' })).body.error.code, 'not_closed');
});

let frozen; // the board of 2026-10 as closed
test('yellow cards follow from the data under a line rule; the third in a row is a summons', async () => {
  const cards = [];
  for (const m of ['2026-08', '2026-09', '2026-10']) {
    const c = await ok(as.hq.post(`/rankings/${m}/close`, {}), 201);
    assert.equal(c.revision, 1);
    assert.match(c.digest, /^[0-9a-f]{64}$/);
    cards.push(c.yellow_cards);
  }
  const of2 = cards.map((cs) => cs.find((y) => y.unit_id === unit2Id));
  assert.deepEqual(of2.map((y) => y.in_a_row), [1, 2, 3]);
  assert.deepEqual(of2.map((y) => y.summons), [false, false, true]);
  for (const cs of cards) assert.ok(!cs.some((y) => y.unit_id === unitId), 'a clean ledger earns no card');
  frozen = await ok(as.hq.get('/rankings?month=2026-10'));
  assert.equal(frozen.status, 'closed');
  assert.equal(frozen.revision, 1);
  const u2 = frozen.units.find((u) => u.id === unit2Id);
  assert.equal(u2.summons, true);
  assert.match(u2.message, /约谈/);
  assert.equal(frozen.units.find((u) => u.id === unitId).total, 10000);
  const again = await as.hq.post('/rankings/2026-10/close', {});
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'already_closed');
  // The carded unit's users and headquarters (summons) were told.
  const inbox2 = await ok(as.unit2.get('/inbox'));
  assert.ok(JSON.stringify(inbox2).includes('黄牌'), 'carded unit notified');
  const inboxHq = await ok(as.hq.get('/inbox'));
  assert.ok(JSON.stringify(inboxHq).includes('约谈'), 'headquarters told of the summons');
  const reg = await ok(as.viewer.get('/yellow-cards?year=2026'));
  assert.deepEqual(reg.items.filter((y) => y.unit_id === unit2Id).map((y) => [y.month, y.in_a_row, y.summons, y.revision]),
    [['2026-08', 1, false, 1], ['2026-09', 2, false, 1], ['2026-10', 3, true, 1]]);
});

test('a closed month is frozen: later data and rule changes leave the shown bytes and the digest alone', async () => {
  cleanLedger(unit2Id, '2026-10');
  sqlExec(server.dbUrl, "UPDATE progress_reports SET investment = investment + 1000000 WHERE period_end >= '2026-10-01' AND period_end <= '2026-10-31'");
  preset('hengdong');
  sqlExec(server.dbUrl, "UPDATE report_periods SET status = 'open' WHERE period_key = '2026-10'");
  const b = await ok(as.leader.get('/rankings?month=2026-10'));
  assert.deepEqual(b.units, frozen.units);
  assert.deepEqual(b.rules, frozen.rules);
  assert.equal(b.revisions[0].digest, frozen.revisions[0].digest);
  const v = await ok(as.viewer.get('/rankings/2026-10/revisions/1/verify'));
  assert.equal(v.identical, true);
  assert.equal(v.recomputed_digest, frozen.revisions[0].digest);
  assert.equal((await ok(as.hq.post('/rankings/2026-10/revisions/1/verify', {}))).identical, true);
  const r1 = await ok(as.viewer.get('/rankings/2026-10/revisions/1'));
  assert.equal(r1.digest, frozen.revisions[0].digest);
  assert.equal(r1.rules.factors[0].key, 'ledger');
  assert.ok(r1.inputs.find((u) => u.id === String(unit2Id)).figures.ledger.value === 5, 'the snapshot kept the figure');
  // A tampered result no longer verifies.
  sqlExec(server.dbUrl, "UPDATE ranking_revisions SET result = REPLACE(result, '\"rank\":1,', '\"rank\":9,') WHERE month = '2026-09'");
  assert.equal((await ok(as.viewer.get('/rankings/2026-09/revisions/1/verify'))).identical, false);
  assert.equal((await as.viewer.get('/rankings/2026-10/revisions/7')).status, 404);
});

test('a revision with its reason is numbered 2 and sits beside 1; the month\'s cards become its own', async () => {
  assert.equal((await as.hq.post('/rankings/2026-10/revisions', {})).status, 422);
  assert.equal((await as.hq.post('/rankings/2026-10/revisions', { reason: '   ' })).status, 422);
  assert.equal((await as.unit.post('/rankings/2026-10/revisions', { reason: '更正' })).status, 403);
  rules(LEDGER_ONLY);
  const r = await ok(as.hq.post('/rankings/2026-10/revisions', { reason: '县交通运输局补交十月台账，更正' }), 201);
  assert.equal(r.revision, 2);
  assert.ok(!r.yellow_cards.some((y) => y.unit_id === unit2Id), 'the corrected ledger lifts the card');
  const b = await ok(as.hq.get('/rankings?month=2026-10'));
  assert.equal(b.revision, 2);
  assert.deepEqual(b.revisions.map((x) => x.revision), [1, 2]);
  assert.equal(b.revisions[1].reason, '县交通运输局补交十月台账，更正');
  assert.equal(b.revisions[0].digest, frozen.revisions[0].digest, 'revision 1 is unchanged');
  assert.notEqual(b.revisions[1].digest, b.revisions[0].digest);
  assert.equal(b.units.find((u) => u.id === unit2Id).yellow_card, false);
  assert.equal((await ok(as.hq.get('/rankings/2026-10/revisions/1/verify'))).identical, true);
  assert.equal((await ok(as.hq.get('/rankings/2026-10/revisions/2/verify'))).identical, true);
  const reg = await ok(as.hq.get('/yellow-cards?year=2026'));
  assert.ok(!reg.items.some((y) => y.month === '2026-10' && y.unit_id === unit2Id));
});

test('Propose mode (Lianshui): headquarters chooses only among the proposed', async () => {
  preset('lianshui');
  const p = await ok(as.hq.get('/rankings?month=2026-07'));
  assert.equal(p.rules.yellow.mode, 'propose');
  const proposed = p.units.filter((u) => u.proposed);
  assert.equal(proposed.length, 3);
  assert.ok(p.units.every((u) => !u.yellow_card), 'nothing carded before the choice');
  const outsider = p.units.find((u) => !u.proposed);
  const bad = await as.hq.post('/rankings/2026-07/close', { chosen: [proposed[0].id, outsider.id] });
  assert.equal(bad.status, 422, show(bad));
  assert.deepEqual(bad.body.error.fields, [{ field: 'chosen[1]', reason: 'not_proposed' }]);
  const c = await ok(as.hq.post('/rankings/2026-07/close', { chosen: [proposed[0].id] }), 201);
  assert.deepEqual(c.yellow_cards.map((y) => y.unit_id), [proposed[0].id]);
  const b = await ok(as.viewer.get('/rankings?month=2026-07'));
  assert.deepEqual(b.units.filter((u) => u.yellow_card).map((u) => u.id), [proposed[0].id]);
  assert.equal(b.units.filter((u) => u.proposed).length, 3);
  const r = await ok(as.hq.get('/rankings/2026-07/revisions/1'));
  assert.deepEqual(r.chosen, [proposed[0].id]);
  assert.equal((await ok(as.hq.get('/rankings/2026-07/revisions/1/verify'))).identical, true);
});

test('the trend of the year and a unit\'s drill-down', async () => {
  const t = await ok(as.unit.get('/rankings/trend?year=2026'));
  assert.deepEqual(t.months, ['2026-07', '2026-08', '2026-09', '2026-10']);
  const u2 = t.units.find((u) => u.id === unit2Id);
  assert.ok(u2, JSON.stringify(t).slice(0, 600));
  assert.equal(u2.points.length, 4);
  assert.equal(u2.points[1].yellow_card, true);
  assert.equal(u2.points[3].yellow_card, false, 'October as revised');
  assert.deepEqual((await ok(as.unit.get('/rankings/trend?year=2025'))).months, []);
  const d = await ok(as.viewer.get(`/rankings/2026-10/units/${unitId}`));
  assert.equal(d.unit.id, unitId);
  assert.equal(d.status, 'closed');
  assert.equal(d.score.id, unitId);
  assert.ok(d.projects.length > 0);
  for (const p of d.projects) {
    assert.ok(Number.isInteger(p.plan_investment) && Number.isInteger(p.done_investment));
    assert.ok(p.reports_on_time <= p.reports_due);
  }
  assert.equal((await as.viewer.get('/rankings/2026-10/units/999999')).status, 404);
  // The city above reads a county it names; the audit trail holds the close and the revision.
  const city = await ok(as.city.get('/rankings?month=2026-10&region=430424'));
  assert.equal(city.revision, 2);
  assert.equal((await as.city.get('/rankings?month=2026-10')).status, 422, 'a city names the county');
  assert.equal((await as.city.post('/rankings/2026-10/revisions', { reason: '更正' })).status, 403);
  const audit = await ok(as.hq.get('/audit?entity=ranking&limit=50'));
  const acts = JSON.stringify(audit);
  assert.ok(acts.includes('"revise"') && acts.includes('"close"'), acts.slice(0, 400));
});

test('the raw figures come from the data: letters answered and problems solved within their due days', async () => {
  rules({ factors: [
    { key: 'letters', label: '函件按时答复率', weight: 50, measure: 'ratio' },
    { key: 'problems', label: '问题解决率', weight: 50, measure: 'ratio' }] });
  const t = '2026-11-01T02:00:00Z';
  const letter = (title, due, answered) => sqlExec(server.dbUrl, `INSERT INTO letters (region_code, kind, status, title, recipient_unit_id, answer_due, drafted_at, answered_at) VALUES ('430424', 'reminder', '${answered ? 'answered' : 'issued'}', '${title}', ${unit2Id}, '${due}', '${t}', ${answered ? `'${answered}'` : 'NULL'})`);
  letter('按时答复', '2026-11-10', '2026-11-10T15:00:00Z'); // 23:00 on the due day in the county: in time
  letter('逾期答复', '2026-11-10', '2026-11-10T16:30:00Z'); // 00:30 the day after: late
  letter('未答复', '2026-11-12', null);
  letter('下月到期', '2026-12-03', null); // due next month: not counted
  const problem = (title, due, solved) => sqlExec(server.dbUrl, `INSERT INTO problems (region_code, title, status, raised_on, raised_at, lead_unit_id, solve_due, solved_at, updated_at) VALUES ('430424', '${title}', '${solved ? 'solved' : 'assigned'}', '2026-10-01', '${t}', ${unit2Id}, '${due}', ${solved ? `'${solved}'` : 'NULL'}, '${t}')`);
  problem('按期解决', '2026-11-05', '2026-11-04T02:00:00Z');
  problem('未解决', '2026-11-20', null);
  const b = await ok(as.hq.get('/rankings?month=2026-11'));
  const u2 = b.units.find((u) => u.id === unit2Id);
  const f = Object.fromEntries(u2.factors.map((x) => [x.key, x]));
  assert.deepEqual([f.letters.num, f.letters.den, f.letters.raw], [1, 3, 3333]);
  assert.deepEqual([f.problems.num, f.problems.den, f.problems.raw], [1, 2, 5000]);
  assert.equal(u2.total, Math.round(3333 / 2) + 2500);
  const d = await ok(as.hq.get(`/rankings/2026-11/units/${unit2Id}`));
  assert.equal(d.status, 'open');
  assert.equal(d.revision, null);
  assert.deepEqual(d.score.factors.map((x) => x.key), ['letters', 'problems']);
});

