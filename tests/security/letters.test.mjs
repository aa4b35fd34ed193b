// Letters and summons: caps on every input, who may take which step (another unit cannot sign; another county
// sees nothing), and illegal steps answer 409 and write nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, sqlExec, startServer } from '../api/harness.mjs';

let server, hq, unit, unit2, city, other, viewer;
let project, unitId;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const draft = (over = {}) => ({ project_id: project.id, kind: 'supervision', facts: '进度滞后', ...over });

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  hq = new Client(server.url);
  unit = new Client(server.url);
  unit2 = new Client(server.url);
  city = new Client(server.url);
  viewer = new Client(server.url);
  other = new Client(server.url);
  await hq.login('hq');
  await unit.login('unit');
  await unit2.login('unit2');
  await city.login('city');
  await viewer.login('viewer');
  await other.login(qd.username, qd.password);
  const me = (await unit.get('/auth/me')).body;
  unitId = me.org_unit_id ?? me.user?.org_unit_id;
  project = (await hq.get('/projects?page_size=200')).body.items.find((p) => p.unit_id === unitId && p.status !== 'cancelled');
  assert.ok(project);
});
after(async () => { await server?.stop(); });

test('every letter and summons input is capped and named', async () => {
  const cases = [
    [{ title: 'x'.repeat(201) }, 'title', 'too_long'],
    [{ facts: 'x'.repeat(4001) }, 'facts', 'too_long'],
    [{ action: 'x'.repeat(2001) }, 'action', 'too_long'],
    [{ kind: 'praise' }, 'kind', 'invalid'],
    [{ facts: '   ' }, 'facts', 'required'],
    [{ answer_due: '2026-02-30' }, 'answer_due', 'invalid'],
    [{ answer_due: '2026-11-01' }, 'answer_due', 'past_date'],
  ];
  for (const [over, field, reason] of cases) {
    const r = await hq.post('/letters', draft(over));
    assert.equal(r.status, 422, `${field}: ${show(r)}`);
    assert.deepEqual(r.body.error.fields, [{ field, reason }]);
  }
  assert.equal((await hq.post('/letters', draft({ project_id: 'x' }))).status, 400);
  assert.equal((await hq.get('/letters?page_size=201')).status, 422);
  const d = (await hq.post('/letters', draft())).body;
  await hq.post(`/letters/${d.id}/issue`);
  await unit.post(`/letters/${d.id}/sign`);
  const long = await unit.post(`/letters/${d.id}/answer`, { answer: 'x'.repeat(4001) });
  assert.equal(long.status, 422, show(long));
  assert.deepEqual(long.body.error.fields, [{ field: 'answer', reason: 'too_long' }]);
  const s = { unit_id: unitId, principal: '张局长', held_on: '2026-11-24', reason: '滞后' };
  for (const [over, field, reason] of [
    [{ attendees: Array(31).fill('人') }, 'attendees', 'too_many'],
    [{ attendees: ['x'.repeat(101)] }, 'attendees', 'too_long'],
    [{ principal: 'x'.repeat(101) }, 'principal', 'too_long'],
    [{ reason: 'x'.repeat(2001) }, 'reason', 'too_long'],
    [{ held_on: '2026-12-01' }, 'held_on', 'future_date'],
    [{ follow_up_due: '2026-11-01' }, 'follow_up_due', 'before_held_on'],
  ]) {
    const r = await hq.post('/summons', { ...s, ...over });
    assert.equal(r.status, 422, `${field}: ${show(r)}`);
    assert.deepEqual(r.body.error.fields, [{ field, reason }]);
  }
  assert.equal((await hq.get('/summons')).body.total, 0, 'nothing was written');
});

test('only headquarters drafts, issues and closes; only the recipient signs and answers', async () => {
  assert.equal((await unit.post('/letters', draft())).status, 403);
  assert.equal((await city.post('/letters', draft())).status, 403);
  assert.equal((await viewer.post('/letters', draft())).status, 403);
  const d = (await hq.post('/letters', draft())).body;
  assert.equal((await unit.post(`/letters/${d.id}/issue`)).status, 404, 'a draft is not the unit\'s to see');
  assert.equal((await viewer.post(`/letters/${d.id}/issue`)).status, 403);
  const issued = await hq.post(`/letters/${d.id}/issue`);
  assert.equal(issued.status, 200);
  assert.equal((await unit2.post(`/letters/${d.id}/sign`)).status, 404, 'another unit does not see it');
  assert.equal((await hq.post(`/letters/${d.id}/sign`)).status, 403, 'headquarters does not sign for the unit');
  assert.equal((await city.post(`/letters/${d.id}/sign`)).status, 403);
  assert.equal((await city.get(`/letters/${d.id}`)).status, 200, 'the city reads');
  // A read-only user who belongs to the recipient unit reads the letter but never signs for it.
  sqlExec(server.dbUrl, `UPDATE users SET org_unit_id = ${unitId} WHERE username = 'viewer'`);
  assert.equal((await viewer.get(`/letters/${d.id}`)).status, 200);
  assert.equal((await viewer.post(`/letters/${d.id}/sign`)).status, 403, 'a viewer in the unit does not sign');
  assert.equal((await unit.post(`/letters/${d.id}/close`, {})).status, 403);
  const after = (await hq.get(`/letters/${d.id}`)).body;
  assert.equal(after.status, 'issued');
  assert.equal(after.version, issued.body.version, 'nothing changed');
  assert.equal((await unit2.get('/letters')).body.items.some((l) => l.id === d.id), false);
  assert.equal((await unit.post('/summons', { unit_id: unitId, principal: '张', held_on: '2026-11-24', reason: 'x' })).status, 403);
});

test('another county sees none of it', async () => {
  const d = (await hq.post('/letters', draft())).body;
  await hq.post(`/letters/${d.id}/issue`);
  for (const [m, p] of [['GET', `/letters/${d.id}`], ['POST', `/letters/${d.id}/sign`], ['POST', `/letters/${d.id}/close`],
    ['GET', `/letters/${d.id}/document.pdf`], ['PUT', `/letters/${d.id}`]]) {
    const r = await other.request(m, p, m === 'GET' ? undefined : { version: 1, note: 'x' });
    assert.equal(r.status, 404, `${m} ${p}: ${show(r)}`);
  }
  assert.equal((await other.get('/letters')).body.total, 0);
  assert.equal((await other.post('/letters', draft())).status, 404);
  const s = (await hq.post('/summons', { unit_id: unitId, principal: '张局长', held_on: '2026-11-24', reason: '滞后' })).body;
  assert.equal((await other.post(`/summons/${s.id}/follow-up`, { note: 'x' })).status, 404);
  assert.equal((await other.get('/summons')).body.total, 0);
  const qd = await other.post('/summons', { unit_id: unitId, principal: '张', held_on: '2026-11-24', reason: 'x' });
  assert.equal(qd.status, 422, 'a unit of another county is unknown');
});

test('illegal steps answer 409 with a message and write nothing', async () => {
  const d = (await hq.post('/letters', draft())).body;
  const audit = async () => (await hq.get(`/audit?entity=letter&entity_id=${d.id}&page_size=50`)).body.total;
  const n0 = await audit();
  for (const step of ['close']) {
    const r = await hq.post(`/letters/${d.id}/${step}`, {});
    assert.equal(r.status, 409, show(r));
    assert.equal(r.body.error.code, 'illegal_transition');
    assert.match(r.body.error.message, /草稿/);
  }
  await hq.post(`/letters/${d.id}/issue`);
  const twice = await hq.post(`/letters/${d.id}/issue`);
  assert.equal(twice.status, 409);
  assert.equal((await hq.post(`/letters/${d.id}/discard`)).status, 409, 'an issued letter cannot be discarded');
  assert.equal((await hq.put(`/letters/${d.id}`, { version: 2, facts: '改' })).status, 409, 'an issued letter is not edited');
  assert.equal((await unit.post(`/letters/${d.id}/answer`, { answer: '好' })).status, 409, 'answer before signing');
  assert.equal((await hq.post(`/letters/${d.id}/close`, {})).status, 409, 'close before the answer');
  const l = (await hq.get(`/letters/${d.id}`)).body;
  assert.equal(l.status, 'issued');
  assert.equal(l.answer, '');
  assert.equal(await audit(), n0 + 1, 'only the issue was audited');
  // The refused second issue took no number: the next letter of the kind continues the sequence.
  const next = (await hq.post('/letters', draft())).body;
  const n2 = (await hq.post(`/letters/${next.id}/issue`)).body.number;
  const seq = (x) => Number(/〕(\d+)号$/.exec(x)[1]);
  assert.equal(seq(n2), seq(l.number) + 1);
});
