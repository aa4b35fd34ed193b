// The command line: version, user administration, migrations and the schema-version guard.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, createDatabase, runSteward, show, sqlExec, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('`steward version` prints the version the server reports', async () => {
  const r = runSteward(['version']);
  assert.equal(r.code, 0, r.stderr);
  const m = /\b(\d+\.\d+\.\d+)\b/.exec(r.stdout);
  assert.ok(m, `a version in ${JSON.stringify(r.stdout)}`);
  const health = await new Client(server.url).get('/health');
  assert.equal(health.body.version, m[1]);
});

test('an unknown command fails with a usage message', () => {
  const r = runSteward(['frobnicate']);
  assert.notEqual(r.code, 0);
  assert.ok((r.stdout + r.stderr).length > 0);
});

test('`steward user add` creates a user who can sign in', async () => {
  const r = runSteward(['user', 'add', '--db', server.dbUrl, '--username', 'u1', '--password', 'Str0ng!pass',
    '--display-name', '测试', '--role', 'viewer', '--region', '430424']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const c = new Client(server.url);
  const res = await c.login('u1', 'Str0ng!pass');
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.user.display_name, '测试');
  assert.deepEqual(res.body.user.roles, ['viewer']);
  assert.equal(res.body.user.region_code, '430424');
});

test('`steward user add` refuses a duplicate username and a weak password', () => {
  const dup = runSteward(['user', 'add', '--db', server.dbUrl, '--username', 'u1', '--password', 'Str0ng!pass',
    '--display-name', '重复', '--role', 'viewer', '--region', '430424']);
  assert.notEqual(dup.code, 0, dup.stdout);
  const weak = runSteward(['user', 'add', '--db', server.dbUrl, '--username', 'u_weak', '--password', 'weak',
    '--display-name', '弱', '--role', 'viewer', '--region', '430424']);
  assert.notEqual(weak.code, 0, weak.stdout);
});

test('`steward user passwd` changes the password', async () => {
  const r = runSteward(['user', 'passwd', '--db', server.dbUrl, '--username', 'u1', '--password', 'N3w!Passw0rd']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal((await new Client(server.url).login('u1', 'N3w!Passw0rd')).status, 200);
  assert.equal((await new Client(server.url).login('u1', 'Str0ng!pass')).status, 401);
});

test('`steward user disable` makes sign-in fail with 401 and ends open sessions', async () => {
  const c = new Client(server.url);
  assert.equal((await c.login('u1', 'N3w!Passw0rd')).status, 200);
  const r = runSteward(['user', 'disable', '--db', server.dbUrl, '--username', 'u1']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const res = await new Client(server.url).login('u1', 'N3w!Passw0rd');
  assert.equal(res.status, 401, show(res));
  assert.equal(res.body.error.code, 'invalid_credentials');
  assert.equal((await c.get('/auth/me')).status, 401, 'a disabled user\'s session no longer works');
});

test('CLI changes are audited', async () => {
  const hq = new Client(server.url);
  await hq.signIn('hq');
  const r = await hq.get('/audit?entity=user&page_size=200');
  assert.equal(r.status, 200, show(r));
  const u1 = r.body.items.filter((x) => x.after?.username === 'u1' || x.before?.username === 'u1');
  assert.ok(u1.length >= 2, `audit rows for u1: ${JSON.stringify(r.body.items.slice(0, 5))}`);
  assert.equal(runSteward(['audit', 'verify', '--db', server.dbUrl]).code, 0);
});

test('`steward migrate` on a migrated database changes nothing', () => {
  const before = sqlExec(server.dbUrl, 'SELECT version FROM schema_version ORDER BY version');
  const r = runSteward(['migrate', '--db', server.dbUrl]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(sqlExec(server.dbUrl, 'SELECT version FROM schema_version ORDER BY version'), before);
  assert.equal(runSteward(['audit', 'verify', '--db', server.dbUrl]).code, 0);
});

test('`steward demo` twice does not duplicate the demo data (or refuses)', () => {
  const users = sqlExec(server.dbUrl, 'SELECT COUNT(*) FROM users');
  const units = sqlExec(server.dbUrl, 'SELECT COUNT(*) FROM org_units');
  runSteward(['demo', '--db', server.dbUrl, '--if-empty']);
  assert.equal(sqlExec(server.dbUrl, 'SELECT COUNT(*) FROM users'), users);
  assert.equal(sqlExec(server.dbUrl, 'SELECT COUNT(*) FROM org_units'), units);
});

test('serve refuses a database newer than the binary, naming the schema version', () => {
  const db = createDatabase();
  try {
    assert.equal(runSteward(['migrate', '--db', db.dbUrl]).code, 0);
    sqlExec(db.dbUrl, "INSERT INTO schema_version(version, applied_at) VALUES (9999, '2026-01-01T00:00:00Z')");
    const r = runSteward(['serve', '--db', db.dbUrl, '--listen', '127.0.0.1:0'], { timeout: 20_000 });
    assert.notEqual(r.signal, 'SIGTERM', `serve kept running on a newer schema:\n${r.stdout}${r.stderr}`);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /schema/i);
    assert.match(r.stdout + r.stderr, /9999/);
    const m = runSteward(['migrate', '--db', db.dbUrl]);
    assert.notEqual(m.code, 0, 'migrate refuses too');
    assert.match(m.stdout + m.stderr, /9999/);
  } finally {
    db.drop();
  }
});

test('serve refuses an unmigrated database and tells to run migrate', () => {
  const db = createDatabase();
  try {
    const r = runSteward(['serve', '--db', db.dbUrl, '--listen', '127.0.0.1:0'], { timeout: 20_000 });
    assert.notEqual(r.signal, 'SIGTERM', 'serve kept running on an empty database');
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /migrate/);
  } finally {
    db.drop();
  }
});
