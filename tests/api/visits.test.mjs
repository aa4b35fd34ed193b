// The leaders' weekly visits (每周必访) on the county's clock: a leader records the visit to a project they lead,
// the list pages newest first, the not-visited list and the visit rate per ISO week, the audit entry.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, startServer } from './harness.mjs';

let server;
// Wednesday 25 November 2026, 10:00 in the county: ISO week 2026-W48 (23–29 November).
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const setClock = (t) => fs.writeFileSync(clock, `${t}\n`);
let hq, leader, viewer;
let led; // the projects the demo user "leader" (王志刚) leads
let other; // a project led by someone else

const visit = (over = {}) => ({
  date: '2026-11-24', visitors: ['王志刚', '县发改局 李明'], findings: '主体结构封顶，设备安装调试中；临时用电容量不足',
  photos: [], ...over,
});
const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/photos');
async function upload(client, projectId, name) {
  const r = await client.post(`/projects/${projectId}/photos`, fs.readFileSync(path.join(fixtures, name)), { contentType: 'application/octet-stream' });
  assert.equal(r.status, 201, show(r));
  return r.body.hash;
}

before(async () => {
  setClock('2026-11-25T02:00:00Z');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = new Client(server.url);
  leader = new Client(server.url);
  viewer = new Client(server.url);
  await hq.login('hq');
  await leader.login('leader');
  await viewer.login('viewer');
  const items = (await hq.get('/projects?page_size=200')).body.items.filter((p) => p.status !== 'cancelled');
  const me = (await leader.get('/auth/me')).body;
  const myId = me.id ?? me.user?.id;
  led = items.filter((p) => p.leader_id === myId);
  other = items.find((p) => p.leader_id && p.leader_id !== myId);
  assert.ok(led.length >= 3, `the demo leader leads projects: ${led.length}`);
  assert.ok(other);
});
after(async () => { await server?.stop(); });

test('a leader records the visit to a project they lead; it is listed, audited, with photo links', async () => {
  const jpg = await upload(leader, led[0].id, 'exif-gps.jpg');
  const png = await upload(leader, led[0].id, 'plain.png');
  // A photo must have been uploaded for this very project.
  const elsewhere = await leader.post(`/projects/${led[1].id}/visits`, visit({ photos: [jpg] }));
  assert.equal(elsewhere.status, 422, show(elsewhere));
  assert.deepEqual(elsewhere.body.error.fields, [{ field: 'photos[0]', reason: 'unknown_photo' }]);
  const r = await leader.post(`/projects/${led[0].id}/visits`, visit({ photos: [jpg, png.toUpperCase()] }));
  assert.equal(r.status, 201, show(r));
  assert.equal(r.body.date, '2026-11-24');
  assert.equal(r.body.week, '2026-W48');
  assert.equal(r.body.leader_name, '王志刚');
  assert.deepEqual(r.body.visitors, ['王志刚', '县发改局 李明']);
  assert.equal(r.body.photos.length, 2);
  assert.equal(r.body.photos[1].hash, png, 'hashes are kept in lower case');
  assert.equal(r.body.photos[0].thumb_url, `/api/v1/photos/${jpg}/thumb`);
  const thumb = await viewer.get(r.body.photos[0].thumb_url.replace('/api/v1', ''));
  assert.equal(thumb.status, 200, 'the photo is served to a reader in scope');

  const list = await viewer.get(`/projects/${led[0].id}/visits`);
  assert.equal(list.status, 200, show(list));
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].findings, visit().findings);
  assert.equal(list.body.can_record, false, 'a viewer reads but does not record');

  const audit = await hq.get(`/audit?entity=leader_visit&entity_id=${r.body.id}`);
  assert.equal(audit.status, 200, show(audit));
  const entry = audit.body.items.find((e) => e.action === 'create');
  assert.ok(entry, show(audit));
  const a = typeof entry.after === 'string' ? JSON.parse(entry.after) : entry.after;
  assert.equal(a.project_id, led[0].id);
  assert.equal(a.date, '2026-11-24');
});

test('headquarters records for the leader; the leader may not record another leader\'s project', async () => {
  const byHq = await hq.post(`/projects/${led[1].id}/visits`, visit({ date: '2026-11-23', photos: [] }));
  assert.equal(byHq.status, 201, show(byHq));
  assert.equal(byHq.body.leader_name, '王志刚', 'the visit counts for the project\'s leader');
  const notMine = await leader.post(`/projects/${other.id}/visits`, visit());
  assert.equal(notMine.status, 403, show(notMine));
  const byViewer = await viewer.post(`/projects/${led[0].id}/visits`, visit());
  assert.equal(byViewer.status, 403, show(byViewer));
});

test('validation names the field: date, future date, visitors, photo hashes', async () => {
  const cases = [
    [{ date: '2026-11-26' }, 'date', 'future_date'],
    [{ date: '2026-02-30' }, 'date', 'invalid'],
    [{ date: undefined }, 'date', 'required'],
    [{ visitors: [] }, 'visitors', 'required'],
    [{ visitors: ['  '] }, 'visitors', 'required'],
    [{ photos: ['abc'] }, 'photos', 'invalid_hash'],
    [{ photos: ['g'.repeat(40)] }, 'photos', 'invalid_hash'],
    [{ photos: ['a'.repeat(65)] }, 'photos', 'too_long'],
  ];
  for (const [over, field, reason] of cases) {
    const r = await leader.post(`/projects/${led[0].id}/visits`, visit(over));
    assert.equal(r.status, 422, `${field}: ${show(r)}`);
    assert.deepEqual(r.body.error.fields, [{ field, reason }], `${field} ${reason}`);
  }
});

test('the not-visited list and the rate per leader for the week', async () => {
  const miss = await viewer.get('/visits/missing');
  assert.equal(miss.status, 200, show(miss));
  assert.equal(miss.body.week.key, '2026-W48', 'default: this week');
  const mine = miss.body.leaders.find((l) => l.leader_name === '王志刚');
  assert.ok(mine, show(miss));
  assert.equal(mine.led, led.length);
  assert.equal(mine.visited, 2);
  assert.equal(mine.count, led.length - 2);
  const missingIds = mine.projects.map((p) => p.id);
  assert.ok(!missingIds.includes(led[0].id) && !missingIds.includes(led[1].id));
  assert.ok(missingIds.includes(led[2].id));
  assert.equal(miss.body.missing, miss.body.led - miss.body.visited);

  const rates = await viewer.get('/visits/rates?week=2026-W48');
  assert.equal(rates.status, 200, show(rates));
  const rate = rates.body.items.find((l) => l.leader_name === '王志刚');
  assert.equal(rate.rate_bp, Math.floor((2 * 10000) / led.length));
  assert.ok(rates.body.items.every((l) => Number.isInteger(l.rate_bp)));
  assert.equal(rates.body.totals.visited, 2);

  // The week before had no visits; the week after has not begun.
  const last = await viewer.get('/visits/rates?week=2026-W47');
  assert.equal(last.status, 200, show(last));
  assert.equal(last.body.totals.visited, 0);
  assert.equal(last.body.items.find((l) => l.leader_name === '王志刚').rate_bp, 0);
  for (const w of ['2026-W49', '2026-48', '2026-11']) {
    const bad = await viewer.get(`/visits/missing?week=${w}`);
    assert.equal(bad.status, 422, `${w}: ${show(bad)}`);
    assert.deepEqual(bad.body.error.fields.map((f) => f.field), ['week']);
  }
});

test('a visit recorded next week for last week counts for last week; the list pages newest first', async () => {
  setClock('2026-12-01T02:00:00Z'); // Tuesday of 2026-W49; the sessions idled out meanwhile
  await leader.login('leader');
  await viewer.login('viewer');
  const late = await leader.post(`/projects/${led[2].id}/visits`, visit({ date: '2026-11-27' }));
  assert.equal(late.status, 201, show(late));
  assert.equal(late.body.week, '2026-W48');
  const w48 = await viewer.get('/visits/rates?week=2026-W48');
  assert.equal(w48.body.items.find((l) => l.leader_name === '王志刚').visited, 3);
  const now = await viewer.get('/visits/missing');
  assert.equal(now.body.week.key, '2026-W49');
  assert.equal(now.body.visited, 0);

  for (const d of ['2026-11-30', '2026-12-01']) {
    const r = await leader.post(`/projects/${led[0].id}/visits`, visit({ date: d }));
    assert.equal(r.status, 201, show(r));
  }
  const page1 = await viewer.get(`/projects/${led[0].id}/visits?limit=2`);
  assert.equal(page1.status, 200, show(page1));
  assert.deepEqual(page1.body.items.map((v) => v.date), ['2026-12-01', '2026-11-30']);
  assert.ok(page1.body.next_before);
  const page2 = await viewer.get(`/projects/${led[0].id}/visits?limit=2&before=${page1.body.next_before}`);
  assert.deepEqual(page2.body.items.map((v) => v.date), ['2026-11-24']);
  assert.equal(page2.body.next_before, null);
});
