// Photo uploads are read by content and refused with a reason: a zip named .jpg, a file over 10 MB, a pixel bomb,
// a truncated JPEG; another county's project and photos stay out of reach; GET paths cannot escape the store.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, addOtherCounty, show, startServer } from '../api/harness.mjs';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'photos');
const fixture = (name) => fs.readFileSync(path.join(fixtures, name));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-photos-sec-'));
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
let server, hq, other, project;

before(async () => {
  server = await startServer({ extraArgs: ['--photo-dir', path.join(tmp, 'photos')] });
  hq = new Client(server.url);
  await hq.login('hq');
  const o = addOtherCounty(server.dbUrl);
  other = new Client(server.url);
  await other.login(o.username, o.password);
  project = (await hq.get('/projects?page_size=1')).body.items[0];
});
after(async () => { await server?.stop(); fs.rmSync(tmp, { recursive: true, force: true }); });

const upload = (client, body, opts) => client.post(`/projects/${project.id}/photos`, body, opts);

test('a zip named .jpg with an image Content-Type is refused as unsupported_type', async () => {
  const zip = Buffer.concat([Buffer.from('504b0304140000000800', 'hex'), Buffer.alloc(200, 1)]);
  const r = await upload(hq, zip, { contentType: 'image/jpeg', headers: { 'Content-Disposition': 'attachment; filename="site.jpg"' } });
  assert.equal(r.status, 422, show(r));
  assert.equal(r.body.error.code, 'unsupported_type');
  assert.deepEqual(r.body.error.fields, [{ field: 'photo', reason: 'unsupported_type' }]);
});

test('a truncated JPEG, a pixel bomb and an empty body are refused, each with its reason', async () => {
  const cut = await upload(hq, fixture('truncated.jpg'));
  assert.equal(cut.status, 422, show(cut));
  assert.equal(cut.body.error.code, 'undecodable');
  const bomb = await upload(hq, fixture('bomb.png'));
  assert.equal(bomb.status, 422, show(bomb));
  assert.equal(bomb.body.error.code, 'too_many_pixels');
  const empty = await upload(hq, Buffer.alloc(0));
  assert.equal(empty.status, 422, show(empty));
  // Nothing of them was kept.
  assert.equal((await hq.get(`/photos/${sha(fixture('truncated.jpg'))}/original`)).status, 404);
  assert.equal((await hq.get(`/photos/${sha(fixture('bomb.png'))}/thumb`)).status, 404);
});

test('more than 10 MB is refused with 413', async () => {
  const big = Buffer.concat([fixture('exif-gps.jpg'), Buffer.alloc(10 * 1024 * 1024)]);
  const r = await upload(hq, big);
  assert.equal(r.status, 413, show(r));
});

test("another county's user can neither upload to the project nor fetch its photos", async () => {
  const jpeg = fixture('exif-gps.jpg');
  assert.equal((await upload(hq, jpeg)).status, 201);
  const up = await upload(other, jpeg);
  assert.equal(up.status, 404, show(up));
  const get = await other.get(`/photos/${sha(jpeg)}/original`);
  assert.equal(get.status, 404, show(get));
  assert.equal((await hq.get(`/photos/${sha(jpeg)}/original`)).status, 200);
});

test('GET paths are a hash and a variant, nothing else', async () => {
  const jpeg = fixture('exif-gps.jpg');
  const h = sha(jpeg);
  for (const p of [`/photos/${h.toUpperCase()}/original`, `/photos/${h}/original.jpg`, `/photos/${h}/../../../etc/passwd`,
                   `/photos/..%2F..%2Fsteward.db/original`, `/photos/${h.slice(0, 63)}/thumb`, `/photos/${h}/tmp`,
                   `/photos/${h}/%2e%2e`, `/photos/${h.slice(0, 2)}/${h}.original`]) {
    const r = await hq.get(p);
    assert.ok([404, 405].includes(r.status), `${p}: ${show(r)}`);
    assert.ok(!r.raw.equals(jpeg), p);
  }
  const anon = new Client(server.url);
  assert.equal((await anon.get(`/photos/${h}/original`)).status, 401);
});
