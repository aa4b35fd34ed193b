// The audit trail: every change leaves a row with actor, action, before/after, chained by hashes so that
// edits and deletions behind the application's back are found (issue "foundation").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runSteward, show, signedIn, sqlExec, startServer } from './harness.mjs';

let server;
let hq;
let admin;
before(async () => {
  server = await startServer();
  hq = await signedIn(server.url, 'hq');
  admin = await signedIn(server.url, 'admin');
});
after(async () => { await server?.stop(); });

async function auditOf(entity, id) {
  const r = await hq.get(`/audit?entity=${entity}&entity_id=${id}`);
  assert.equal(r.status, 200, show(r));
  assert.ok(Number.isInteger(r.body.total) && Array.isArray(r.body.items), show(r));
  for (const row of r.body.items) {
    assert.equal(row.entity, entity);
    assert.equal(String(row.entity_id), String(id));
  }
  return r.body.items;
}

let unitId;

test('creating an org unit is audited with actor, action and the new values', async () => {
  const created = await hq.post('/org-units', { name: '县审计测试局', short_name: '审计测试', kind: 'department', sort: 77 });
  assert.equal(created.status, 201, show(created));
  unitId = created.body.id;
  assert.deepEqual(
    { name: created.body.name, short_name: created.body.short_name, kind: created.body.kind, sort: created.body.sort, region_code: created.body.region_code },
    { name: '县审计测试局', short_name: '审计测试', kind: 'department', sort: 77, region_code: '430424' });
  const rows = await auditOf('org_unit', unitId);
  assert.equal(rows.length, 1, JSON.stringify(rows));
  const [row] = rows;
  assert.equal(row.actor_id, hq.user.id);
  assert.equal(row.actor_name, hq.user.display_name);
  assert.equal(typeof row.action, 'string');
  assert.ok(row.action.length > 0);
  assert.equal(row.region_code, '430424');
  assert.equal(row.before, null);
  assert.equal(row.after.name, '县审计测试局');
  assert.match(row.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.ok(Math.abs(Date.parse(row.at) - Date.now()) < 120_000, 'timestamp is now');
});

test('changing an org unit records before and after', async () => {
  const r = await hq.patch(`/org-units/${unitId}`, { name: '县审计测试局（改）' });
  assert.equal(r.status, 200, show(r));
  const rows = await auditOf('org_unit', unitId);
  assert.equal(rows.length, 2);
  const change = rows.find((x) => x.before !== null);
  assert.ok(change, JSON.stringify(rows));
  assert.equal(change.before.name, '县审计测试局');
  assert.equal(change.after.name, '县审计测试局（改）');
  assert.notEqual(change.action, rows.find((x) => x.before === null).action, 'create and update are different actions');
});

test('changing a user (admin) is audited, without password material', async () => {
  const viewer = (await signedIn(server.url, 'viewer')).user;
  const r = await admin.patch(`/users/${viewer.id}`, { display_name: '只读用户（审计）', phone: '13800000000', password: 'Reset#Pass2026' });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.display_name, '只读用户（审计）');
  assert.equal(r.body.phone, '13800000000');
  const rows = await auditOf('user', viewer.id);
  const row = rows.find((x) => x.after?.display_name === '只读用户（审计）');
  assert.ok(row, JSON.stringify(rows));
  assert.equal(row.actor_id, admin.user.id);
  assert.equal(row.before.display_name, viewer.display_name);
  assert.equal(row.after.display_name, '只读用户（审计）');
  assert.doesNotMatch(JSON.stringify(rows), /argon2|Reset#Pass2026|password_hash/, 'no password or hash in the audit trail');
  // The audit list is filtered by actor too.
  const byActor = await hq.get(`/audit?actor_id=${admin.user.id}&page_size=200`);
  assert.equal(byActor.status, 200);
  assert.ok(byActor.body.items.length >= 1 && byActor.body.items.every((x) => x.actor_id === admin.user.id));
});

test('the audit list pages newest first', async () => {
  const p1 = await hq.get('/audit?page=1&page_size=2');
  assert.equal(p1.status, 200, show(p1));
  assert.equal(p1.body.page, 1);
  assert.equal(p1.body.page_size, 2);
  assert.equal(p1.body.items.length, 2);
  assert.ok(p1.body.total >= 3);
  assert.ok(p1.body.items[0].id > p1.body.items[1].id, 'newest first');
  const p2 = await hq.get('/audit?page=2&page_size=2');
  assert.ok(p2.body.items[0].id < p1.body.items[1].id);
});

test('GET /audit/verify reports an intact chain', async () => {
  const r = await hq.get('/audit/verify');
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.ok, true, show(r));
  // Each region has its own chain; a county's headquarters checks its county's.
  const count = Number(sqlExec(server.dbUrl, "SELECT COUNT(*) FROM audit_log WHERE region_code = '430424'"));
  assert.equal(r.body.rows, count);
  const cli = runSteward(['audit', 'verify', '--db', server.dbUrl]);
  assert.equal(cli.code, 0, cli.stdout + cli.stderr);
});

test('an edited row breaks the chain at that row, for the CLI and the API', async () => {
  const id = Number(sqlExec(server.dbUrl, 'SELECT MAX(id) FROM audit_log'));
  const original = sqlExec(server.dbUrl, `SELECT after_json FROM audit_log WHERE id = ${id}`);
  sqlExec(server.dbUrl, "UPDATE audit_log SET after_json = '{\"name\":\"x\"}' WHERE id = (SELECT MAX(id) FROM audit_log)");
  const cli = runSteward(['audit', 'verify', '--db', server.dbUrl]);
  assert.notEqual(cli.code, 0, `audit verify must fail\n${cli.stdout}${cli.stderr}`);
  assert.match(cli.stdout + cli.stderr, new RegExp(`\\b${id}\\b`), 'names the broken row');
  const api = await hq.get('/audit/verify');
  assert.equal(api.status, 200, show(api));
  assert.equal(api.body.ok, false);
  assert.equal(api.body.broken_at, id);
  assert.equal(typeof api.body.reason, 'string');
  // Putting the original back heals it (the hash covers the content, nothing else changed).
  sqlExec(server.dbUrl, `UPDATE audit_log SET after_json = '${original.replace(/'/g, "''")}' WHERE id = ${id}`);
  assert.equal(runSteward(['audit', 'verify', '--db', server.dbUrl]).code, 0);
  assert.equal((await hq.get('/audit/verify')).body.ok, true);
});

test('a deleted middle row is detected', async () => {
  const ids = sqlExec(server.dbUrl, 'SELECT id FROM audit_log ORDER BY id').split('\n').map(Number);
  assert.ok(ids.length >= 3, `need 3 audit rows, have ${ids.length}`);
  const victim = ids[Math.floor(ids.length / 2)];
  const next = ids[ids.indexOf(victim) + 1];
  sqlExec(server.dbUrl, `DELETE FROM audit_log WHERE id = ${victim}`);
  const cli = runSteward(['audit', 'verify', '--db', server.dbUrl]);
  assert.notEqual(cli.code, 0, `audit verify must fail\n${cli.stdout}${cli.stderr}`);
  assert.match(cli.stdout + cli.stderr, new RegExp(`\\b(${victim}|${next})\\b`), `names row ${victim} or ${next}`);
  const api = await hq.get('/audit/verify');
  assert.equal(api.body.ok, false);
  assert.ok([victim, next].includes(api.body.broken_at), show(api));
});

test('deleting the newest row is detected too (the head remembers it)', async () => {
  sqlExec(server.dbUrl, 'DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)');
  const cli = runSteward(['audit', 'verify', '--db', server.dbUrl]);
  assert.notEqual(cli.code, 0, cli.stdout + cli.stderr);
});
