// Many writers at once: edits from several people and a whole-library import in flight together. Every request
// succeeds (writers queue on the audit chain instead of deadlocking), nothing is lost, and the chain verifies.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XLSX_TYPE, runSteward, show, signedIn, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('concurrent edits and an import all succeed and the audit chain holds', async () => {
  const [hq, admin, unit] = await Promise.all([signedIn(server.url, 'hq'), signedIn(server.url, 'admin'),
    signedIn(server.url, 'unit')]);
  const all = (await hq.get('/projects?page_size=200&sort=name&order=asc')).body.items;
  const mine = all.filter((p) => p.unit_id === unit.user.org_unit_id);
  assert.ok(all.length >= 20 && mine.length >= 3, `${all.length} projects, ${mine.length} of the unit`);
  const sheet = await hq.get('/projects/export.xlsx');
  assert.equal(sheet.status, 200);
  const auditBefore = (await hq.get('/audit?page_size=1')).body.total;

  const requests = [];
  all.slice(0, 20).forEach((p, i) => {
    const who = i % 2 ? hq : admin;
    requests.push(who.patch(`/projects/${p.id}`, { content: `并发修改 ${i}` }).then((r) => ['patch', r]));
  });
  mine.forEach((p, i) => requests.push(unit.patch(`/projects/${p.id}`, { address: `并发地址 ${i}` }).then((r) => ['unit', r])));
  requests.splice(7, 0, hq.post('/projects/import', sheet.raw, { contentType: XLSX_TYPE }).then((r) => ['import', r]));
  requests.push(admin.post('/org-units', { name: '并发测试单位', kind: 'department' }).then((r) => ['org', r]));
  const results = await Promise.all(requests);
  for (const [what, r] of results) assert.ok(r.status === 200 || r.status === 201, `${what}: ${show(r)}`);

  const writes = 20 + mine.length + 1;  // every edit changed something, plus the new unit (the import may add more)
  const auditAfter = (await hq.get('/audit?page_size=1')).body.total;
  assert.ok(auditAfter >= auditBefore + writes, `${auditAfter} >= ${auditBefore} + ${writes}`);
  const v = await admin.get('/audit/verify');
  assert.equal(v.body.ok, true, show(v));
  const cli = runSteward(['audit', 'verify', '--db', server.dbUrl]);
  assert.equal(cli.code, 0, cli.stdout + cli.stderr);
});
