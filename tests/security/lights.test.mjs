// The lights' routes are capped and scoped: page sizes, history days and replay days have bounds (422, never a
// 500 or an unbounded answer); another county's projects are not found; only headquarters evaluates; a replay
// never writes the history or the published lights.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, addOtherCounty, show, sqlExec, startServer } from '../api/harness.mjs';

let server, hq, unit, viewer, other, pid;

before(async () => {
  server = await startServer();
  hq = new Client(server.url);
  unit = new Client(server.url);
  viewer = new Client(server.url);
  await hq.login('hq');
  await unit.login('unit');
  await viewer.login('viewer');
  const o = addOtherCounty(server.dbUrl);
  other = new Client(server.url);
  await other.login(o.username, o.password);
  pid = (await hq.get('/projects?page_size=1')).body.items[0].id;
  assert.equal((await hq.post('/lights/evaluate', {})).status, 200);
});
after(async () => { await server?.stop(); });

test('caps: page_size, days and as_of are bounded', async () => {
  for (const q of ['/lights?page_size=201', '/lights?page_size=0', '/lights?page=0', '/lights?light=blue',
    '/lights?dimension=mood', `/projects/${pid}/lights?days=0`, `/projects/${pid}/lights?days=367`,
    '/lights/replay', '/lights/replay?as_of=2099-01-01', '/lights/replay?as_of=2001-01-01',
    '/lights/replay?as_of=yesterday', '/lights/replay?as_of=2026-01-01&page_size=500']) {
    const r = await viewer.get(q);
    assert.equal(r.status, 422, `${q}: ${show(r)}`);
    assert.ok(r.body.error.fields.length >= 1, q);
  }
  assert.equal((await viewer.get(`/projects/${pid}/lights?days=366`)).status, 200);
});

test('scope: another county sees none of this county\'s lights', async () => {
  assert.equal((await other.get(`/projects/${pid}/lights`)).status, 404);
  const board = (await other.get('/lights?page_size=200')).body;
  assert.equal(board.items.length, 0);
  assert.deepEqual(board.counts, { green: 0, yellow: 0, red: 0 });
  const replay = (await other.get(`/lights/replay?as_of=2026-01-05&project_id=${pid}`));
  assert.equal(replay.status, 404, show(replay));
  // Only headquarters evaluates; a unit's user and a viewer may not.
  assert.equal((await unit.post('/lights/evaluate', {})).status, 403);
  assert.equal((await viewer.post('/lights/evaluate', {})).status, 403);
  assert.equal((await new Client(server.url).get('/lights')).status, 401);
});

test('a replay never writes', async () => {
  const count = () => sqlExec(server.dbUrl, 'SELECT COUNT(*), MAX(to_day) FROM light_history').trim();
  const published = () => sqlExec(server.dbUrl, 'SELECT id, light, light_day FROM projects ORDER BY id').trim();
  const audit = () => sqlExec(server.dbUrl, 'SELECT COUNT(*) FROM audit_log').trim();
  const before = [count(), published(), audit()];
  for (const day of ['2025-06-30', '2024-12-31'])
    assert.equal((await hq.get(`/lights/replay?as_of=${day}&page_size=200`)).status, 200);
  assert.deepEqual([count(), published(), audit()], before);
});
