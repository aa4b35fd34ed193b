// Photos as evidence: uploads of JPEG, PNG and WebP checked by content, stored once per sha256, the variants
// served with Cache-Control, attached to a report whose JSON marks the questionable ones; both storages.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'photos');
const fixture = (name) => fs.readFileSync(path.join(fixtures, name));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-photos-'));
const clock = path.join(tmp, 'now');
// 10 March 2026: the monthly report due now is March's (period start 2026-03-01).
fs.writeFileSync(clock, '2026-03-10T02:00:00Z\n');
const photoDir = path.join(tmp, 'photos');

let server, liaison, hq, project;

before(async () => {
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock', '--photo-dir', photoDir] });
  hq = new Client(server.url);
  liaison = new Client(server.url);
  await hq.login('hq');
  await liaison.login('liaison');
  const list = await hq.get('/projects?page_size=200&sort=total_investment&order=desc');
  project = list.body.items.find((p) => p.unit_name === '县工业和信息化局' && p.status !== 'cancelled');
  assert.ok(project);
  // The site at 28.0°N 109.0°E; the fixture photo was taken at 28.3°N 109.7°E on 2 January 2026.
  sqlExec(server.dbUrl, `UPDATE projects SET lat = 28.0, lng = 109.0, liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
});
after(async () => { await server?.stop(); fs.rmSync(tmp, { recursive: true, force: true }); });

const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

test('a liaison uploads JPEG, PNG and WebP; the type, size, time and place come from the bytes', async () => {
  const jpeg = fixture('exif-gps.jpg');
  // Sent as text/plain on purpose: the Content-Type is never believed.
  const up = await liaison.post(`/projects/${project.id}/photos`, jpeg, { contentType: 'text/plain' });
  assert.equal(up.status, 201, show(up));
  assert.equal(up.body.hash, sha(jpeg));
  assert.equal(up.body.type, 'jpeg');
  assert.equal(up.body.width, 64);
  assert.equal(up.body.bytes, jpeg.length);
  assert.equal(up.body.taken_at, '2026-01-02T10:00:00');
  assert.ok(Math.abs(up.body.lat - 28.3) < 1e-6 && Math.abs(up.body.lng - 109.7) < 1e-6, show(up));
  assert.equal(up.body.thumb_url, `/api/v1/photos/${sha(jpeg)}/thumb`);
  for (const [name, type] of [['plain.png', 'png'], ['plain.webp', 'webp'], ['plain.heic', 'heic']]) {
    const r = await liaison.post(`/projects/${project.id}/photos`, fixture(name));
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.type, type);
    assert.equal(r.body.taken_at, null);
  }
});

test('the same bytes twice are one photo; each upload is audited', async () => {
  const jpeg = fixture('exif-gps.jpg');
  const again = await liaison.post(`/projects/${project.id}/photos`, jpeg);
  assert.equal(again.status, 201, show(again));
  assert.equal(again.body.hash, sha(jpeg));
  const files = fs.readdirSync(path.join(photoDir, sha(jpeg).slice(0, 2))).filter((f) => f.startsWith(sha(jpeg)));
  assert.deepEqual(files.sort(), [`${sha(jpeg)}.original`, `${sha(jpeg)}.screen`, `${sha(jpeg)}.thumb`]);
  const audit = await hq.get(`/audit?entity=photo&entity_id=${sha(jpeg)}`);
  assert.equal(audit.status, 200, show(audit));
  assert.equal(audit.body.items.length, 2, 'both uploads audited');
  assert.equal(audit.body.items[0].after.project_id, project.id);
  assert.equal(audit.body.items[0].after.bytes, jpeg.length);
});

test('the variants are served with their type and a long private cache', async () => {
  const jpeg = fixture('exif-gps.jpg');
  const orig = await liaison.get(`/photos/${sha(jpeg)}/original`);
  assert.equal(orig.status, 200);
  assert.ok(orig.raw.equals(jpeg), 'the original, byte for byte');
  assert.equal(orig.headers['content-type'], 'image/jpeg');
  assert.match(orig.headers['cache-control'], /private.*immutable/);
  const png = fixture('plain.png');
  assert.equal((await liaison.get(`/photos/${sha(png)}/original`)).headers['content-type'], 'image/png');
  for (const v of ['screen', 'thumb']) {
    const r = await hq.get(`/photos/${sha(jpeg)}/${v}`);
    assert.equal(r.status, 200);
    assert.equal(r.raw.subarray(0, 3).toString('hex'), 'ffd8ff');
    assert.equal(r.raw.indexOf('Exif'), -1, `${v}: metadata stripped`);
  }
});

test('a report carries its photos, marked questionable but never dropped', async () => {
  const jpeg = fixture('exif-gps.jpg'), png = fixture('plain.png');
  const r = await liaison.post(`/projects/${project.id}/reports`,
    { investment: 1_000_000, percent: 10, progress: '基础施工', photos: [sha(jpeg), sha(png)] });
  assert.ok([200, 201].includes(r.status), show(r));
  assert.equal(r.body.period, '2026-03');
  assert.equal(r.body.photos.length, 2);
  const [first, second] = r.body.photos;
  assert.equal(first.hash, sha(jpeg));
  assert.deepEqual(first.questionable.map((q) => q.reason).sort(), ['far_from_site', 'taken_before_period']);
  assert.deepEqual(second.questionable, [], 'no time or place: nothing claimed');
  assert.equal(second.screen_url, `/api/v1/photos/${sha(png)}/screen`);
  const list = await hq.get(`/projects/${project.id}/reports`);
  assert.equal(list.body.items[0].photos.length, 2, show(list));
  assert.equal(list.body.items[0].photos[0].questionable.length, 2);
});

test('a report may cite only photos uploaded for its project, at most nine', async () => {
  const unknown = 'a'.repeat(64);
  const r = await liaison.post(`/projects/${project.id}/reports`, { investment: 1_000_000, percent: 10, photos: [unknown] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(r.body.error.fields, [{ field: 'photos[0]', reason: 'unknown_photo' }]);
  const ten = await liaison.post(`/projects/${project.id}/reports`,
    { investment: 1_000_000, percent: 10, photos: Array.from({ length: 10 }, (_, i) => String(i).repeat(64).slice(0, 64)) });
  assert.equal(ten.status, 422, show(ten));
  assert.equal(ten.body.error.fields[0].reason, 'too_many');
});

test('with the database storage, a second server on the same database serves what the first stored', async () => {
  const a = await startServer({ dbUrl: server.dbUrl, extraArgs: ['--photo-storage', 'database', '--clock-file', clock, '--allow-test-clock'] });
  const b = await startServer({ dbUrl: server.dbUrl, extraArgs: ['--photo-storage', 'database', '--clock-file', clock, '--allow-test-clock'] });
  try {
    const ca = new Client(a.url), cb = new Client(b.url);
    await ca.login('liaison');
    await cb.login('liaison');
    const webp = fixture('plain.webp');
    const up = await ca.post(`/projects/${project.id}/photos`, webp);
    assert.equal(up.status, 201, show(up));
    const got = await cb.get(`/photos/${sha(webp)}/original`);
    assert.equal(got.status, 200, show(got));
    assert.ok(got.raw.equals(webp));
    assert.equal(got.headers['content-type'], 'image/webp');
    assert.equal((await cb.get(`/photos/${sha(webp)}/thumb`)).status, 200);
  } finally {
    await a.stop();
    await b.stop();
  }
});
