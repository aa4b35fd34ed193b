// `steward audit verify` and `steward backup` beside a live server under write load (issue item 2), a kill -9
// that loses no acknowledged write, and backup → restore round trips (issue "backup and restore").
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDatabase, runSteward, show, signedIn, sqlExec, startServer, stewardBin } from '../api/harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'steward-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The CLI without blocking the event loop, so the writers keep writing while it runs.
function runAsync(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(stewardBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const t = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('error', reject);
    p.on('exit', (code, signal) => { clearTimeout(t); resolve({ code, signal, out }); });
  });
}

// Names of the org units the server acknowledged (201), in the order they were acknowledged.
function startWriters(client, prefix, n = 2) {
  const acked = [];
  let stop = false;
  let errors = 0;
  const loops = Array.from({ length: n }, (_, w) => (async () => {
    for (let i = 0; !stop; i++) {
      const name = `${prefix}-${w}-${i}`;
      try {
        const r = await client.post('/org-units', { name, kind: 'department' });
        if (r.status === 201) acked.push(name);
        else if (r.status >= 500) errors++;
      } catch {
        if (!stop) errors++;
      }
    }
  })());
  return {
    acked,
    get errors() { return errors; },
    async stop() { stop = true; await Promise.all(loops); },
  };
}

function unitNames(dbUrl, prefix) {
  const out = sqlExec(dbUrl, `SELECT name FROM org_units WHERE name LIKE '${prefix}-%'`);
  return new Set(out ? out.split('\n') : []);
}

test('verify and backup beside a live server under writes; kill -9 loses nothing; each backup restores', async () => {
  const server = await startServer();
  const restored = [];
  let second;
  try {
    const hq = await signedIn(server.url, 'hq');
    const writers = startWriters(hq, '备份压测单位');
    const backups = [];
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 150));
      const ackedBefore = writers.acked.length;
      const file = join(dir, `backup-${round}.dump`);
      const [v, b] = await Promise.all([
        runAsync(['audit', 'verify', '--db', server.dbUrl]),
        runAsync(['backup', '--db', server.dbUrl, file]),
      ]);
      assert.equal(v.code, 0, `verify during writes, round ${round}: ${v.out}`);
      assert.equal(b.code, 0, `backup during writes, round ${round}: ${b.out}`);
      assert.equal(statSync(file).mode & 0o077, 0, 'a backup is readable by its owner only');
      backups.push({ file, acked: writers.acked.slice(0, ackedBefore) });
    }
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(writers.errors, 0, 'no write failed while verify and backup ran');
    // Kill the server mid-write; whatever it acknowledged must survive.
    const exited = new Promise((r) => server.proc.once('exit', r));
    server.proc.kill('SIGKILL');
    await exited;
    await writers.stop();
    const acked = [...writers.acked];
    assert.ok(acked.length >= 10, `only ${acked.length} writes acknowledged`);
    console.log(`${acked.length} writes acknowledged; backups taken after ${backups.map((b) => b.acked.length).join(', ')}`);

    second = await startServer({ dbUrl: server.dbUrl });
    const present = unitNames(server.dbUrl, '备份压测单位');
    const lost = acked.filter((n) => !present.has(n));
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged writes lost`);
    const v = runSteward(['audit', 'verify', '--db', server.dbUrl]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const hq2 = await signedIn(second.url, 'hq');
    const r = await hq2.post('/org-units', { name: '重启后的单位', kind: 'department' });
    assert.equal(r.status, 201, show(r));

    // Each backup restores into an empty database: intact chain, and every write acknowledged before it began.
    for (const [i, bk] of backups.entries()) {
      const db = createDatabase();
      restored.push(db);
      const res = runSteward(['restore', '--db', db.dbUrl, bk.file]);
      assert.equal(res.code, 0, `restore ${i}: ${res.stdout}${res.stderr}`);
      const rv = runSteward(['audit', 'verify', '--db', db.dbUrl]);
      assert.equal(rv.code, 0, `restored ${i}: ${rv.stdout}${rv.stderr}`);
      const names = unitNames(db.dbUrl, '备份压测单位');
      const missing = bk.acked.filter((n) => !names.has(n));
      assert.deepEqual(missing, [], `backup ${i} misses ${missing.length} of ${bk.acked.length} earlier writes`);
    }
    // A restored database serves.
    const s3 = await startServer({ dbUrl: restored[0].dbUrl });
    try {
      const c = await signedIn(s3.url, 'hq');
      assert.equal((await c.get('/audit/verify')).body.ok, true);
    } finally { await s3.stop(); }
  } finally {
    await second?.stop();
    await server.stop();
    for (const db of restored) db.drop();
  }
});

test('restore refuses a database with data unless --force, and (SQLite) one a server has open', async () => {
  const server = await startServer();
  const target = createDatabase();
  try {
    const file = join(dir, 'refuse.dump');
    assert.equal(runSteward(['backup', '--db', server.dbUrl, file]).code, 0);
    const live = runSteward(['restore', '--db', server.dbUrl, file, '--force']);
    if (server.dbUrl.startsWith('sqlite:')) {
      assert.notEqual(live.code, 0, 'a running server\'s SQLite file is not overwritten');
      assert.match(live.stderr, /open in another process/);
    }
    assert.equal(runSteward(['migrate', '--db', target.dbUrl]).code, 0);
    const refused = runSteward(['restore', '--db', target.dbUrl, file]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--force/);
    sqlExec(target.dbUrl, "INSERT INTO regions (code, name, level) VALUES ('110000', '北京市', 'province')");
    const forced = runSteward(['restore', '--db', target.dbUrl, file, '--force']);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.equal(sqlExec(target.dbUrl, "SELECT COUNT(*) FROM regions WHERE code = '110000'"), '0', 'replaced, not merged');
    assert.equal(runSteward(['audit', 'verify', '--db', target.dbUrl]).code, 0);
    const missing = runSteward(['restore', '--db', target.dbUrl, join(dir, 'nope.dump'), '--force']);
    assert.notEqual(missing.code, 0);
  } finally {
    await server.stop();
    target.drop();
  }
});
