// The monthly ranking against hostile or careless input: caps on the revision reason, the choice of cards, the
// month and year formats; another county's ranking is out of reach (404), and its headquarters cannot close ours.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, startServer } from '../api/harness.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rank-sec-'));
const clock = path.join(dir, 'now');
let server, hq, viewer, other;

before(async () => {
  fs.writeFileSync(clock, '2026-11-15T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = new Client(server.url);
  viewer = new Client(server.url);
  assert.equal((await hq.login('hq')).status, 200);
  assert.equal((await viewer.login('viewer')).status, 200);
  const o = addOtherCounty(server.dbUrl);
  other = new Client(server.url);
  assert.equal((await other.login(o.username, o.password)).status, 200);
  assert.equal((await hq.post('/rankings/2026-10/close', {})).status, 201);
});
after(async () => { await server?.stop(); });

test('caps: reason length, chosen size, month format, year range', async () => {
  const long = await hq.post('/rankings/2026-10/revisions', { reason: '因'.repeat(501) });
  assert.equal(long.status, 422, show(long));
  assert.deepEqual(long.body.error.fields, [{ field: 'reason', reason: 'too_long' }]);
  assert.equal((await hq.post('/rankings/2026-10/revisions', { reason: '因'.repeat(500) })).status, 201);
  const many = await hq.post('/rankings/2026-10/revisions', { reason: '更正', chosen: Array.from({ length: 101 }, (_, i) => i + 1) });
  assert.equal(many.status, 422);
  assert.deepEqual(many.body.error.fields, [{ field: 'chosen', reason: 'too_many' }]);
  assert.equal((await hq.post('/rankings/2026-10/revisions', { reason: 42 })).status, 400);
  for (const m of ['2026-1', '2026-00', '1999-12', '2101-01', 'abcd-ef', '2026-10-01', "2026-10' OR '1'='1"]) {
    assert.equal((await viewer.get(`/rankings?month=${encodeURIComponent(m)}`)).status, 422, m);
    assert.equal((await hq.post(`/rankings/${encodeURIComponent(m)}/close`, {})).status, 422, m);
    assert.equal((await viewer.get(`/rankings/${encodeURIComponent(m)}/revisions/1`)).status, 422, m);
  }
  for (const y of ['1999', '2101', '20x6', '-2026', '99999']) {
    assert.equal((await viewer.get(`/rankings/trend?year=${y}`)).status, 422, y);
    assert.equal((await viewer.get(`/yellow-cards?year=${y}`)).status, 422, y);
  }
  assert.equal((await viewer.get('/rankings/2026-10/revisions/99999999999')).status, 404);
  assert.equal((await viewer.get('/rankings/2026-10/revisions/0')).status, 404);
  assert.equal((await new Client(server.url).get('/rankings')).status, 401);
});

test('another county: its users cannot read or write ours', async () => {
  const own = await other.get('/rankings?month=2026-10');
  assert.equal(own.status, 200, show(own));
  assert.equal(own.body.status, 'open', 'their own county has no closed month');
  assert.equal(own.body.units.length, 0);
  assert.equal((await other.get('/rankings?month=2026-10&region=430424')).status, 404);
  assert.equal((await other.get('/rankings/2026-10/revisions/1?region=430424')).status, 404);
  assert.equal((await other.get('/rankings/2026-10/revisions/1')).status, 404);
  assert.equal((await other.get('/rankings/2026-10/revisions/1/verify?region=430424')).status, 404);
  assert.equal((await other.get('/yellow-cards?year=2026&region=430424')).status, 404);
  assert.equal((await other.get('/rankings/trend?year=2026&region=430424')).status, 404);
  const units = (await viewer.get('/rankings?month=2026-10')).body.units;
  assert.ok(units.length > 0);
  assert.equal((await other.get(`/rankings/2026-10/units/${units[0].id}`)).status, 404);
  // Their headquarters closing "2026-10" closes their own county's month, never ours.
  const c = await other.post('/rankings/2026-10/close', {});
  assert.equal(c.status, 201, show(c));
  assert.equal(c.body.units.length, 0);
  const ours = await viewer.get('/rankings?month=2026-10');
  assert.deepEqual(ours.body.revisions.map((r) => r.revision), [1, 2]);
});
