// Leaders' visits: caps on every input, the weekly cap per project, who may record, another county's projects.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, startServer } from '../api/harness.mjs';

let server, hq, leader, unit, city, other, mine;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const today = '2026-11-25';
const ok = () => ({ date: today, visitors: ['王志刚'], findings: '现场正常施工' });

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  const qd = addOtherCounty(server.dbUrl);
  hq = new Client(server.url);
  leader = new Client(server.url);
  unit = new Client(server.url);
  city = new Client(server.url);
  other = new Client(server.url);
  await hq.login('hq');
  await leader.login('leader');
  await unit.login('unit');
  await city.login('city');
  await other.login(qd.username, qd.password);
  const me = (await leader.get('/auth/me')).body;
  const myId = me.id ?? me.user?.id;
  mine = (await hq.get('/projects?page_size=200')).body.items.find((p) => p.leader_id === myId && p.status !== 'cancelled');
  assert.ok(mine);
});
after(async () => { await server?.stop(); });

test('every visit input is capped and named', async () => {
  const cases = [
    [{ findings: 'x'.repeat(2001) }, 'findings', 'too_long'],
    [{ visitors: Array(21).fill('人') }, 'visitors', 'too_many'],
    [{ visitors: ['x'.repeat(101)] }, 'visitors', 'too_long'],
    [{ photos: Array(10).fill('a'.repeat(64)) }, 'photos', 'too_many'],
    [{ photos: ["'; DROP TABLE leader_visits; --".padEnd(40, 'x')] }, 'photos', 'invalid_hash'],
    [{ date: 'x'.repeat(65) }, 'date', 'too_long'],
  ];
  for (const [over, field, reason] of cases) {
    const r = await leader.post(`/projects/${mine.id}/visits`, { ...ok(), ...over });
    assert.equal(r.status, 422, `${field}: ${show(r)}`);
    assert.deepEqual(r.body.error.fields, [{ field, reason }], field);
  }
  const typed = await leader.post(`/projects/${mine.id}/visits`, { ...ok(), visitors: '王志刚' });
  assert.equal(typed.status, 400, show(typed));
  const notObject = await leader.post(`/projects/${mine.id}/visits`, [ok()]);
  assert.equal(notObject.status, 400, show(notObject));
  const page = await leader.get(`/projects/${mine.id}/visits?limit=101`);
  assert.equal(page.status, 422, show(page));
});

test('a project takes at most 20 visits a week; the 21st is a conflict and writes nothing', async () => {
  for (let k = 0; k < 20; k++) {
    const r = await hq.post(`/projects/${mine.id}/visits`, ok());
    assert.equal(r.status, 201, show(r));
  }
  const over = await hq.post(`/projects/${mine.id}/visits`, ok());
  assert.equal(over.status, 409, show(over));
  assert.equal(over.body.error.code, 'visit_limit');
  const list = await hq.get(`/projects/${mine.id}/visits?limit=100`);
  assert.equal(list.body.items.length, 20);
});

test('only the project\'s leader and headquarters record; a city reads but never writes', async () => {
  const byUnit = await unit.post(`/projects/${mine.id}/visits`, ok());
  assert.equal(byUnit.status, 403, show(byUnit));
  const byCity = await city.post(`/projects/${mine.id}/visits`, ok());
  assert.equal(byCity.status, 403, show(byCity));
  const read = await city.get(`/projects/${mine.id}/visits`);
  assert.equal(read.status, 200, show(read));
  const rates = await city.get('/visits/rates');
  assert.equal(rates.status, 200, show(rates));
  assert.ok(rates.body.items.some((l) => l.leader_name === '王志刚'), 'the city sees its counties rolled up');
});

test('another county neither sees nor records this county\'s visits', async () => {
  const post = await other.post(`/projects/${mine.id}/visits`, ok());
  assert.equal(post.status, 404, show(post));
  const get = await other.get(`/projects/${mine.id}/visits`);
  assert.equal(get.status, 404, show(get));
  const miss = await other.get('/visits/missing');
  assert.equal(miss.status, 200, show(miss));
  assert.equal(miss.body.led, 0);
  assert.deepEqual(miss.body.leaders, []);
  const rates = await other.get('/visits/rates');
  assert.deepEqual(rates.body.items, []);
});
