// Lights and letters end to end on the county's clock: under the hengdong preset the nightly job (the scheduler
// inside `steward serve`) drafts a reminder letter a month before a planned start, an assignment letter when the
// start is half a month overdue and a supervision letter once the start slip is red; headquarters issues it with
// Hengdong's number; a late signature lights the project's letters dimension and signing or answering clears it
// at once (no waiting for the night); the issued letter downloads as a PDF; a red light from overdue letters alone
// drafts no further letter.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runSteward, show, startServer } from './harness.mjs';

const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const setClock = (t) => fs.writeFileSync(clock, `${t}\n`);
let server, hq, unit, unitId, pid;

// Waits for an event the scheduler causes (not for time to pass): polls until `probe` holds or 30 s are gone.
async function eventually(probe, what) {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const nightlyRuns = () => (server.stderr().match(/job evaluate-lights: lights evaluated/g) || []).length;

// Moves to 01:00 on `day` in the county and waits for that night's evaluation; sessions idle out, so sign in again.
async function nightOf(day) {
  const runs = nightlyRuns();
  const prev = new Date(Date.parse(`${day}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
  setClock(`${prev}T17:00:00Z`); // 01:00 on `day` in the county (UTC+8)
  await eventually(async () => nightlyRuns() > runs, `the nightly evaluation of ${day}`);
  await hq.login('hq');
  await unit.login('unit');
}

// The three letters (work reminders to the leader, for missing reports here, are not counted).
const lettersOf = async (kind) =>
  (await hq.get(`/letters?project_id=${pid}&page_size=200`)).body.items
    .filter((l) => (kind ? l.kind === kind : l.kind !== 'work_reminder'));
const reasonsOf = async () => (await hq.get(`/projects/${pid}`)).body.light_reasons.map((r) => r.dimension);

before(async () => {
  setClock('2026-11-25T02:00:00Z');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock', '--remind-interval', '1'] });
  const s = runSteward(['rules', 'apply-preset', 'hengdong', '--region', '430424', '--db', server.dbUrl]);
  assert.equal(s.code, 0, s.stderr);
  hq = new Client(server.url);
  unit = new Client(server.url);
  await hq.login('hq');
  await unit.login('unit');
  const me = (await unit.get('/auth/me')).body;
  unitId = me.org_unit_id ?? me.user?.org_unit_id;
  assert.ok(unitId);
  const r = await hq.post('/projects', { name: '三函联动测试项目', category: 'industrial', planned_start: '2027-01-20', unit_id: unitId });
  assert.equal(r.status, 201, show(r));
  pid = r.body.id;
});
after(async () => { await server?.stop(); });

test('the nightly job drafts the reminder a month ahead, the assignment half a month late, the supervision on red', async () => {
  await nightOf('2026-12-10');
  assert.deepEqual(await lettersOf(), [], 'more than a month ahead: nothing');
  await nightOf('2026-12-21');
  const reminders = await eventually(async () => (await lettersOf('reminder')).length > 0 && lettersOf('reminder'), 'a reminder draft');
  assert.equal(reminders.length, 1);
  assert.equal(reminders[0].status, 'draft');
  assert.equal(reminders[0].kind_label, '提醒函');
  assert.equal(reminders[0].number, '', 'a draft has no number');

  await nightOf('2027-02-01');
  assert.deepEqual(await lettersOf('assignment'), [], 'twelve days late: not yet');
  await nightOf('2027-02-10');
  const assignments = await lettersOf('assignment');
  assert.equal(assignments.length, 1, JSON.stringify(await lettersOf()));
  assert.equal(assignments[0].kind_label, '交办函');
  assert.deepEqual(await lettersOf('supervision'), [], 'yellow is not serious lag');

  await nightOf('2027-05-03');
  assert.equal((await hq.get(`/projects/${pid}`)).body.light, 'red');
  const sup = await lettersOf('supervision');
  assert.equal(sup.length, 1, JSON.stringify(await lettersOf()));
  assert.equal(sup[0].kind_label, '督办函');
  await nightOf('2027-05-04');
  assert.equal((await lettersOf('supervision')).length, 1, 'the same red start drafts no second supervision letter');

  const issued = await hq.post(`/letters/${sup[0].id}/issue`);
  assert.equal(issued.status, 200, show(issued));
  assert.match(issued.body.number, /^衡重项督〔2027〕\d+号$/);
  assert.equal(issued.body.recipient_unit.id, unitId);

  const pdf = await unit.get(`/letters/${sup[0].id}/document.pdf`);
  assert.equal(pdf.status, 200, show(pdf));
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.raw.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(!pdf.raw.includes(Buffer.from('草稿')), 'an issued letter is no draft');

  // The unit signs late: the letters dimension lights at night; signing clears it at once.
  const signDue = issued.body.sign_due;
  const dayAfter = new Date(Date.parse(`${signDue}T00:00:00Z`) + 2 * 86400_000).toISOString().slice(0, 10);
  await nightOf(dayAfter);
  assert.ok((await reasonsOf()).includes('letters'), `letters overdue on ${dayAfter}: ${await reasonsOf()}`);
  const lettersBefore = (await lettersOf()).length;
  const signed = await unit.post(`/letters/${sup[0].id}/sign`);
  assert.equal(signed.status, 200, show(signed));
  assert.ok(!(await reasonsOf()).includes('letters'), 'signing cleared the overdue step without waiting for the night');
  assert.equal((await lettersOf()).length, lettersBefore, 'a re-evaluation for a letter drafts no further letter');

  // The answer is late too: lit at night, cleared by answering.
  const answerDue = signed.body.answer_due;
  const late = new Date(Date.parse(`${answerDue}T00:00:00Z`) + 2 * 86400_000).toISOString().slice(0, 10);
  await nightOf(late);
  assert.ok((await reasonsOf()).includes('letters'), `answer overdue on ${late}`);
  const answered = await unit.post(`/letters/${sup[0].id}/answer`, { answer: '已成立专班，限期开工。' });
  assert.equal(answered.status, 200, show(answered));
  assert.ok(!(await reasonsOf()).includes('letters'), 'answering cleared the overdue step at once');

  // The project starts; the reminder and the assignment are issued and left unsigned: red from overdue letters (and
  // missing reports) only, which drafts no further letter.
  for (const l of [...await lettersOf('reminder'), ...await lettersOf('assignment')])
    assert.equal((await hq.post(`/letters/${l.id}/issue`)).status, 200);
  const p = (await hq.get(`/projects/${pid}`)).body;
  const started = await hq.patch(`/projects/${pid}`, { actual_start: late, version: p.version });
  assert.equal(started.status, 200, show(started));
  const month = new Date(Date.parse(`${late}T00:00:00Z`) + 40 * 86400_000).toISOString().slice(0, 10);
  await nightOf(month);
  const now = (await hq.get(`/projects/${pid}`)).body;
  assert.equal(now.light, 'red', JSON.stringify(now.light_reasons));
  const red = now.light_reasons.filter((r) => r.light === 'red').map((r) => r.dimension);
  assert.ok(red.includes('letters'), JSON.stringify(now.light_reasons));
  assert.ok(red.every((d) => d === 'letters' || d === 'reports'), JSON.stringify(now.light_reasons));
  assert.equal((await lettersOf('supervision')).length, 1, 'no supervision letter for overdue letters');
  assert.equal((await lettersOf()).length, 3, JSON.stringify(await lettersOf()));
});
