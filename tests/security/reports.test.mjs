// Progress reports: caps on every new input, another county's project, a unit reporting for another unit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, startServer } from '../api/harness.mjs';

let server, hq, unit, other, mine, theirs;
const ok = { investment: 1000, percent: 10 };

before(async () => {
  server = await startServer();
  const qd = addOtherCounty(server.dbUrl);
  hq = new Client(server.url);
  unit = new Client(server.url);
  other = new Client(server.url);
  await hq.login('hq');
  await unit.login('unit');
  await other.login(qd.username, qd.password);
  const items = (await hq.get('/projects?page_size=200')).body.items;
  mine = items.find((p) => p.unit_name === '县工业和信息化局');
  theirs = items.find((p) => p.unit_name === '县交通运输局');
  assert.ok(mine && theirs);
});
after(async () => { await server?.stop(); });

test('every new input is capped and named', async () => {
  const cases = [
    [{ progress: 'x'.repeat(2001) }, 'progress', 'too_long'],
    [{ next_plan: 'x'.repeat(2001) }, 'next_plan', 'too_long'],
    [{ problems: Array(51).fill('p') }, 'problems', 'too_many'],
    [{ problems: ['x'.repeat(501)] }, 'problems', 'too_long'],
    [{ period: 'x'.repeat(65) }, 'period', 'too_long'],
    [{ investment: 1e15 + 1 }, 'investment', 'too_large'],
    [{ workers: 1_000_001 }, 'workers', 'out_of_range'],
    [{ machines: -1 }, 'machines', 'negative'],
  ];
  for (const [over, field, reason] of cases) {
    const r = await unit.post(`/projects/${mine.id}/reports`, { ...ok, ...over });
    assert.equal(r.status, 422, `${field}: ${show(r)}`);
    assert.deepEqual(r.body.error.fields, [{ field, reason }], field);
  }
  const months = Array.from({ length: 601 }, (_, i) => ({ month: '2026-01', amount: i }));
  const st = await hq.put(`/projects/${mine.id}/statistics`, { registered: true, months });
  assert.equal(st.status, 422, show(st));
  assert.deepEqual(st.body.error.fields, [{ field: 'months', reason: 'too_many' }]);
  const reason = await hq.post('/periods/month/2026-01/reopen', { reason: 'x'.repeat(501) });
  assert.equal(reason.status, 422, show(reason));
  const typed = await unit.post(`/projects/${mine.id}/reports`, { ...ok, percent: '10' });
  assert.equal(typed.status, 400, show(typed));
  const key = await hq.get('/periods/month/2026-13');
  assert.equal(key.status, 422, show(key));
  const inbox = await unit.get('/inbox?limit=101');
  assert.equal(inbox.status, 422, show(inbox));
});

test('another county cannot see, report, remind or register a project of this one', async () => {
  for (const [m, p, b] of [
    ['post', `/projects/${mine.id}/reports`, ok],
    ['get', `/projects/${mine.id}/reports`],
    ['post', `/projects/${mine.id}/remind`],
    ['get', `/projects/${mine.id}/statistics`],
    ['put', `/projects/${mine.id}/statistics`, { registered: true }],
  ]) {
    const r = await other[m](p, b);
    assert.equal(r.status, 404, `${m} ${p}: ${show(r)}`);
  }
  const missing = await other.get('/reports/missing?cadence=month');
  assert.equal(missing.status, 200, show(missing));
  assert.equal(missing.body.projects_due, 0, 'the other county sees only its own (none)');
});

test('a unit reports for its own projects only; nothing is written on refusal', async () => {
  const r = await unit.post(`/projects/${theirs.id}/reports`, ok);
  assert.equal(r.status, 403, show(r));
  const list = await hq.get(`/projects/${theirs.id}/reports`);
  assert.equal(list.body.items.length, 0);
  const own = await unit.post(`/projects/${mine.id}/reports`, ok);
  assert.equal(own.status, 201, show(own));
  const ret = await other.post(`/reports/${own.body.id}/return`, { reason: '越权' });
  assert.equal(ret.status, 404, show(ret));
});
