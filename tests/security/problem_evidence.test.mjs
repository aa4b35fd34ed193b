// Evidence of a problem: the photo hashes given to raise must have been uploaded for a project of the same county;
// an unknown hash, or another county's photo (which its raiser cannot read), is refused as evidence[i] and
// nothing is written.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, show, startServer } from '../api/harness.mjs';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'photos');
const fixture = (name) => fs.readFileSync(path.join(fixtures, name));
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

let server, hq, liaison, other, project, ours, theirs;

before(async () => {
  server = await startServer();
  const qd = addOtherCounty(server.dbUrl);
  [hq, liaison, other] = [new Client(server.url), new Client(server.url), new Client(server.url)];
  assert.equal((await hq.login('hq')).status, 200);
  assert.equal((await liaison.login('liaison')).status, 200);
  assert.equal((await other.login(qd.username, qd.password)).status, 200);
  project = (await hq.get('/projects?page_size=200')).body.items.find((p) => p.status !== 'cancelled');
  const up = await hq.post(`/projects/${project.id}/photos`, fixture('exif-gps.jpg'));
  assert.equal(up.status, 201, show(up));
  ours = up.body.hash;
  const qdp = await other.post('/projects', { name: '祁东证据项目', category: 'industrial' });
  assert.equal(qdp.status, 201, show(qdp));
  const theirUp = await other.post(`/projects/${qdp.body.id}/photos`, fixture('plain.png'));
  assert.equal(theirUp.status, 201, show(theirUp));
  theirs = theirUp.body.hash;
  assert.equal(theirs, sha(fixture('plain.png')));
});
after(async () => { await server?.stop(); });

const fieldsOf = (r) => (r.body.error?.fields || []).map((f) => `${f.field}:${f.reason}`);

test('a photo uploaded in the county is accepted as evidence and shown on the problem', async () => {
  const r = await liaison.post('/problems', { title: '施工便道被占', project_id: project.id, evidence: [ours] });
  assert.equal(r.status, 201, show(r));
  assert.deepEqual(r.body.evidence, [ours]);
});

test('an unknown hash and another county\'s photo are refused by index, and nothing is written', async () => {
  const total = (await hq.get('/problems?page_size=1')).body.total;
  const unknown = sha(Buffer.from('never uploaded'));
  const cases = [
    [[unknown], ['evidence[0]:unknown_photo']],
    [[ours, theirs], ['evidence[1]:unknown_photo']],
    [[theirs, ours, unknown], ['evidence[0]:unknown_photo', 'evidence[2]:unknown_photo']],
  ];
  for (const [evidence, fields] of cases) {
    for (const c of [liaison, hq]) {
      const r = await c.post('/problems', { title: '证据不符', project_id: project.id, evidence });
      assert.equal(r.status, 422, show(r));
      assert.deepEqual(fieldsOf(r), fields, show(r));
      assert.ok(!JSON.stringify(r.body).includes('祁东'), 'nothing about the other county is told');
    }
  }
  // The other county cannot cite our photo either.
  const r = await other.post('/problems', { title: '借用照片', evidence: [ours] });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['evidence[0]:unknown_photo']);
  assert.equal((await hq.get('/problems?page_size=1')).body.total, total, 'nothing written');
});
