// The audit trail against someone who can write the database (issue item 12) and oversized audit images
// (item 4): per-region chains whose breaks are named by region and row, an HMAC under a key kept outside the
// database, anchors kept outside it that catch a rewrite or a cut below them, legacy entries that keep
// verifying, and history/activity responses that stay small.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addOtherCounty, createDatabase, dbKind, runSteward, show, signedIn, sqlExec, startServer } from '../api/harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'steward-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NULL = '~NULL~';
const COLS = ['id', 'seq', 'scheme', 'at', 'region_code', 'actor_id', 'actor_name', 'action', 'entity', 'entity_id',
  'before_json', 'after_json', 'prev_hash', 'hash'];

// Rows of audit_log (content free of '|', which the tests make sure of by choosing their own entries).
function auditRows(dbUrl, where) {
  const sel = COLS.map((c) => `CASE WHEN ${c} IS NULL THEN '${NULL}' ELSE CAST(${c} AS TEXT) END`).join(', ');
  const out = sqlExec(dbUrl, `SELECT ${sel} FROM audit_log WHERE ${where} ORDER BY id`);
  return out ? out.split('\n').map((line) => {
    const v = line.split('|');
    assert.equal(v.length, COLS.length, `unexpected '|' in ${line}`);
    return Object.fromEntries(COLS.map((c, i) => [c, v[i] === NULL ? null : v[i]]));
  }) : [];
}

// The entry layouts of core/audit_chain.cpp, written again here from its description.
const field = (v) => `${Buffer.byteLength(v)}:${v};`;
const opt = (v) => (v === null ? '-;' : field(v));
function regionText(e) {
  return 'v2;' + field(e.prev_hash) + field(String(e.id)) + field(String(e.seq)) + field(e.scheme) + field(e.at) +
    field(e.region_code) + opt(e.actor_id) + field(e.actor_name) + field(e.action) + field(e.entity) +
    field(e.entity_id) + opt(e.before_json) + opt(e.after_json);
}
function legacyText(e) {
  return field(e.prev_hash) + field(String(e.id)) + field(e.at) + field(e.region_code) + opt(e.actor_id) +
    field(e.actor_name) + field(e.action) + field(e.entity) + field(e.entity_id) + opt(e.before_json) +
    opt(e.after_json);
}
const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const q = (s) => (s === null ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

// What an intruder with write access to the database but not the key does: edit the newest entry of a region,
// recompute its digest without a key, and move the head along.
function forgeNewest(dbUrl, region, change, { scheme = 'sha256' } = {}) {
  const [e] = auditRows(dbUrl, `region_code = '${region}' AND seq = (SELECT last_seq FROM audit_heads WHERE region_code = '${region}')`);
  Object.assign(e, change, { scheme });
  e.hash = sha256(regionText(e));
  sqlExec(dbUrl, `UPDATE audit_log SET after_json = ${q(e.after_json)}, actor_name = ${q(e.actor_name)}, scheme = '${scheme}', hash = '${e.hash}' WHERE id = ${e.id}`);
  sqlExec(dbUrl, `UPDATE audit_heads SET last_hash = '${e.hash}' WHERE region_code = '${region}'`);
  return e;
}

function verify(dbUrl, ...args) {
  const r = runSteward(['audit', 'verify', '--db', dbUrl, ...args]);
  return { ...r, out: r.stdout + r.stderr };
}

async function newProjectEntry(client, name) {
  const list = await client.get('/projects?page_size=1');
  assert.equal(list.status, 200, show(list));
  const p = list.body.items[0];
  const r = await client.patch(`/projects/${p.id}`, { name, version: p.version });
  assert.equal(r.status, 200, show(r));
  return p.id;
}

describe('per-region chains', () => {
  let server, hq, qd, other;
  before(async () => {
    server = await startServer();
    other = addOtherCounty(server.dbUrl);
    hq = await signedIn(server.url, 'hq');
    qd = await signedIn(server.url, other.username, other.password);
  });
  after(async () => { await server?.stop(); });

  test('each county writes its own chain and head', async () => {
    await newProjectEntry(hq, '区域链测试项目甲');
    const r = await qd.post('/org-units', { name: '祁东县审计链测试局', kind: 'department' });
    assert.equal(r.status, 201, show(r));
    const heads = Object.fromEntries(sqlExec(server.dbUrl, 'SELECT region_code, last_seq FROM audit_heads').split('\n')
      .map((l) => l.split('|')).map(([k, v]) => [k, Number(v)]));
    for (const region of ['430424', '430426']) {
      const n = Number(sqlExec(server.dbUrl, `SELECT COUNT(*) FROM audit_log WHERE region_code = '${region}'`));
      assert.equal(heads[region], n, `region ${region}: head at ${heads[region]}, ${n} entries`);
      const seqs = sqlExec(server.dbUrl, `SELECT seq FROM audit_log WHERE region_code = '${region}' ORDER BY seq`).split('\n').map(Number);
      assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => i + 1), 'positions 1..n without gaps');
    }
    const cli = verify(server.dbUrl);
    assert.equal(cli.code, 0, cli.out);
    assert.match(cli.out, /region 430424: ok/);
    assert.match(cli.out, /region 430426: ok/);
  });

  test('a break is named by region and row, for the CLI; the API reports it within the actor\'s scope only', async () => {
    const [e] = auditRows(server.dbUrl, "region_code = '430426' AND seq = 1");
    sqlExec(server.dbUrl, `UPDATE audit_log SET actor_name = '篡改者' WHERE id = ${e.id}`);
    const cli = verify(server.dbUrl);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, new RegExp(`BROKEN in region 430426 at entry ${e.id} \\(row 1 of`), cli.out);
    const mine = await qd.get('/audit/verify');
    assert.equal(mine.status, 200, show(mine));
    assert.equal(mine.body.ok, false);
    assert.equal(mine.body.region, '430426');
    assert.equal(mine.body.broken_at, Number(e.id));
    assert.equal(mine.body.broken_seq, 1);
    const theirs = await hq.get('/audit/verify');
    assert.equal(theirs.body.ok, true, show(theirs));
    assert.deepEqual(theirs.body.regions.map((x) => x.region), ['430424'], 'another county\'s chain is not shown');
    sqlExec(server.dbUrl, `UPDATE audit_log SET actor_name = ${q(e.actor_name)} WHERE id = ${e.id}`);
    assert.equal(verify(server.dbUrl).code, 0);
  });

  test('PostgreSQL: a county writes while another county\'s chain head is locked', { skip: dbKind() !== 'postgresql' }, async () => {
    // A second session holds 430424's head the way a long write of that county would.
    const psql = spawn('psql', [server.dbUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    psql.stdout.setEncoding('utf8');
    const locked = new Promise((resolve, reject) => {
      psql.stdout.on('data', (d) => { out += d; if (out.includes('LOCKED')) resolve(); });
      psql.on('exit', (code) => reject(new Error(`psql exited ${code}`)));
    });
    psql.stdin.write("BEGIN; SELECT last_seq FROM audit_heads WHERE region_code = '430424' FOR UPDATE; SELECT 'LOCKED';\n");
    await locked;
    let hqDone = false;
    try {
      const mine = hq.post('/org-units', { name: '衡东县被锁期间的单位', kind: 'department' }).then((r) => { hqDone = true; return r; });
      const r = await qd.post('/org-units', { name: '祁东县并行写入单位', kind: 'department' });
      assert.equal(r.status, 201, show(r));
      assert.equal(hqDone, false, 'the locked county\'s write waits for its head');
      psql.stdin.write('COMMIT;\n');
      assert.equal((await mine).status, 201);
    } finally {
      psql.stdin.end();
    }
    assert.equal(verify(server.dbUrl).code, 0);
  });

  test('an unkeyed chain can be rewritten unseen: the weakness the key closes', async () => {
    await newProjectEntry(hq, '区域链测试项目乙');
    forgeNewest(server.dbUrl, '430424', { after_json: '{"name":"伪造"}' });
    const cli = verify(server.dbUrl);
    assert.equal(cli.code, 0, `without a key a recomputed digest verifies\n${cli.out}`);
  });
});

describe('keyed chain (HMAC under a key outside the database)', () => {
  let server, hq, keyFile, dbUrl;
  before(async () => {
    keyFile = join(dir, 'audit.key');
    const k = runSteward(['audit', 'keygen', keyFile]);
    assert.equal(k.code, 0, k.stdout + k.stderr);
    server = await startServer({ extraArgs: ['--audit-key-file', keyFile] });
    dbUrl = server.dbUrl;
    hq = await signedIn(server.url, 'hq');
  });
  after(async () => { await server?.stop(); });

  test('the key file is private and keygen never overwrites it', () => {
    assert.equal((readFileSync(keyFile, 'utf8').trim()).length, 64);
    const again = runSteward(['audit', 'keygen', keyFile]);
    assert.notEqual(again.code, 0);
  });

  test('serve warns when no key is configured', async () => {
    const s = await startServer({ demo: false });
    try {
      await new Promise((r) => setTimeout(r, 100));
      assert.match(s.stderr(), /no audit key/);
    } finally { await s.stop(); }
  });

  test('entries are keyed; verify needs the key, from the flag, the environment or the config file', async () => {
    await newProjectEntry(hq, '密钥链测试项目甲');
    // The demo was loaded without the key; the server's entries continue the chain keyed.
    const newest = sqlExec(dbUrl, "SELECT scheme FROM audit_log WHERE id = (SELECT last_id FROM audit_heads WHERE region_code = '430424')");
    assert.equal(newest, 'hmac-sha256');
    const noKey = verify(dbUrl);
    assert.equal(noKey.code, 1, noKey.out);
    assert.match(noKey.out, /no audit key/);
    assert.equal(verify(dbUrl, '--audit-key-file', keyFile).code, 0);
    const env = runSteward(['audit', 'verify', '--db', dbUrl], { env: { ...process.env, STEWARD_AUDIT_KEY_FILE: keyFile } });
    assert.equal(env.code, 0, env.stdout + env.stderr);
    const toml = join(dir, 'steward.toml');
    writeFileSync(toml, `[audit]\nkey_file = ${JSON.stringify(keyFile)}\n`);
    assert.equal(verify(dbUrl, '--config', toml).code, 0);
    const wrong = join(dir, 'wrong.key');
    writeFileSync(wrong, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    const w = verify(dbUrl, '--audit-key-file', wrong);
    assert.equal(w.code, 1, w.out);
  });

  test('a row rewritten and re-digested without the key is found, plain or claiming to be keyed', async () => {
    for (const scheme of ['sha256', 'hmac-sha256']) {
      await newProjectEntry(hq, `密钥链测试项目${scheme}`);
      const e = forgeNewest(dbUrl, '430424', { after_json: '{"name":"伪造"}' }, { scheme });
      const cli = verify(dbUrl, '--audit-key-file', keyFile);
      assert.equal(cli.code, 1, `${scheme}: ${cli.out}`);
      assert.match(cli.out, new RegExp(`region 430424 at entry ${e.id}\\b`));
      const api = await hq.get('/audit/verify');
      assert.equal(api.body.ok, false, show(api));
      assert.equal(api.body.broken_at, Number(e.id));
      // Undo: rewrite the row as the server wrote it? Impossible without the key; drop it and its head instead.
      sqlExec(dbUrl, `DELETE FROM audit_log WHERE id = ${e.id}`);
      sqlExec(dbUrl, `UPDATE audit_heads SET last_seq = last_seq - 1, last_id = (SELECT id FROM audit_log WHERE region_code = '430424' AND seq = (SELECT last_seq - 1 FROM audit_heads WHERE region_code = '430424')), last_hash = (SELECT hash FROM audit_log WHERE region_code = '430424' AND seq = (SELECT last_seq - 1 FROM audit_heads WHERE region_code = '430424')) WHERE region_code = '430424'`);
      const healed = verify(dbUrl, '--audit-key-file', keyFile);
      assert.equal(healed.code, 0, healed.out);
    }
  });

  test('without the key the keyed chain is neither served nor written', () => {
    const w = runSteward(['user', 'add', '--db', dbUrl, '--username', 'nokey', '--password', 'Nokey#2026abc', '--region', '430424']);
    assert.notEqual(w.code, 0, w.stdout + w.stderr);
    assert.match(w.stderr, /keyed/);
    const s = runSteward(['serve', '--db', dbUrl, '--listen', '127.0.0.1:0'], { timeout: 20_000 });
    assert.notEqual(s.code, 0);
    assert.match(s.stderr, /keyed but no audit key/);
    assert.equal(verify(dbUrl, '--audit-key-file', keyFile).code, 0, 'nothing was written');
  });
});

describe('anchors', () => {
  let server, hq, anchorFile;
  before(async () => {
    server = await startServer();
    hq = await signedIn(server.url, 'hq');
    anchorFile = join(dir, 'anchor.json');
  });
  after(async () => { await server?.stop(); });

  test('audit anchor prints and exports every region\'s head', async () => {
    await newProjectEntry(hq, '锚点测试项目甲');
    const printed = runSteward(['audit', 'anchor', '--db', server.dbUrl]);
    assert.equal(printed.code, 0, printed.stderr);
    const a = JSON.parse(printed.stdout);
    const head = sqlExec(server.dbUrl, "SELECT last_seq, last_id, last_hash FROM audit_heads WHERE region_code = '430424'").split('|');
    const mine = a.regions.find((r) => r.region === '430424');
    assert.deepEqual([mine.seq, mine.id, mine.hash], [Number(head[0]), Number(head[1]), head[2]]);
    assert.match(mine.at, /^\d{4}-\d\d-\d\dT/);
    const out = runSteward(['audit', 'anchor', '--db', server.dbUrl, '--out', anchorFile]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(JSON.parse(readFileSync(anchorFile, 'utf8')).regions.length, a.regions.length);
    const ok = verify(server.dbUrl, '--anchor', anchorFile);
    assert.equal(ok.code, 0, ok.out);
    await newProjectEntry(hq, '锚点测试项目乙');
    assert.equal(verify(server.dbUrl, '--anchor', anchorFile).code, 0, 'later entries are fine');
  });

  test('an unkeyed rewrite below the anchor is found against it', async () => {
    const a = JSON.parse(readFileSync(anchorFile, 'utf8'));
    const mine = a.regions.find((r) => r.region === '430424');
    // Rewrite the anchored entry and everything after it, recomputing every digest and the head.
    const rows = auditRows(server.dbUrl, `region_code = '430424' AND seq >= ${mine.seq}`).sort((x, y) => x.seq - y.seq);
    const saved = rows.map((r) => ({ ...r }));
    let prev = rows[0].prev_hash;
    for (const [i, e] of rows.entries()) {
      if (i === 0) e.actor_name = '篡改者';
      e.prev_hash = prev;
      e.hash = sha256(regionText(e));
      prev = e.hash;
      sqlExec(server.dbUrl, `UPDATE audit_log SET actor_name = ${q(e.actor_name)}, prev_hash = '${e.prev_hash}', hash = '${e.hash}' WHERE id = ${e.id}`);
    }
    sqlExec(server.dbUrl, `UPDATE audit_heads SET last_hash = '${prev}' WHERE region_code = '430424'`);
    assert.equal(verify(server.dbUrl).code, 0, 'unkeyed and unanchored, the rewrite passes');
    const r = verify(server.dbUrl, '--anchor', anchorFile);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, new RegExp(`region 430424 at entry ${mine.id}\\b.*anchor`));
    for (const e of saved)
      sqlExec(server.dbUrl, `UPDATE audit_log SET actor_name = ${q(e.actor_name)}, prev_hash = '${e.prev_hash}', hash = '${e.hash}' WHERE id = ${e.id}`);
    sqlExec(server.dbUrl, `UPDATE audit_heads SET last_hash = '${saved.at(-1).hash}' WHERE region_code = '430424'`);
    assert.equal(verify(server.dbUrl, '--anchor', anchorFile).code, 0);
  });

  test('cutting the tail with the head, below the anchor, is found against it', async () => {
    const a = JSON.parse(readFileSync(anchorFile, 'utf8'));
    const mine = a.regions.find((r) => r.region === '430424');
    const keep = mine.seq - 2;
    const [last] = auditRows(server.dbUrl, `region_code = '430424' AND seq = ${keep}`);
    sqlExec(server.dbUrl, `DELETE FROM audit_log WHERE region_code = '430424' AND seq > ${keep}`);
    sqlExec(server.dbUrl, `UPDATE audit_heads SET last_seq = ${keep}, last_id = ${last.id}, last_hash = '${last.hash}' WHERE region_code = '430424'`);
    assert.equal(verify(server.dbUrl).code, 0, 'head and tail cut together pass without an anchor');
    const r = verify(server.dbUrl, '--anchor', anchorFile);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /region 430424 .*truncated/);
    // A whole region's chain deleted, head and all, is found too.
    sqlExec(server.dbUrl, "DELETE FROM audit_log WHERE region_code = '430000'");
    sqlExec(server.dbUrl, "DELETE FROM audit_heads WHERE region_code = '430000'");
    const gone = verify(server.dbUrl, '--anchor', anchorFile);
    assert.match(gone.out, /region 430000: BROKEN/);
  });

  test('a file that is not an anchor is refused', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"regions": 5}');
    const r = verify(server.dbUrl, '--anchor', bad);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a steward audit anchor/);
  });
});

describe('entries from before per-region chains', () => {
  test('keep verifying, and region chains continue from their last digest', async () => {
    const db = createDatabase();
    let server;
    try {
      assert.equal(runSteward(['migrate', '--db', db.dbUrl]).code, 0);
      // Three entries of the old installation-wide chain, as an earlier steward wrote them.
      let prev = '0'.repeat(64);
      for (let id = 1; id <= 3; id++) {
        const e = { id, at: `2026-01-0${id}T08:00:00Z`, region_code: '430424', actor_id: null, actor_name: 'system',
          action: 'create', entity: 'region', entity_id: String(id), before_json: null, after_json: `{"n":${id}}`, prev_hash: prev };
        e.hash = sha256(legacyText(e));
        prev = e.hash;
        sqlExec(db.dbUrl, `INSERT INTO audit_log (id, at, region_code, actor_id, actor_name, action, entity, entity_id, before_json, after_json, prev_hash, hash) VALUES (${id}, '${e.at}', '430424', NULL, 'system', 'create', 'region', '${id}', NULL, '${e.after_json}', '${e.prev_hash}', '${e.hash}')`);
      }
      sqlExec(db.dbUrl, `UPDATE audit_head SET last_id = 3, last_hash = '${prev}' WHERE id = 1`);
      // What migration 4 does with entries already there: PostgreSQL's id sequence continues after them.
      if (db.kind === 'postgresql') sqlExec(db.dbUrl, "SELECT setval('audit_log_id_seq', 4, false)");
      assert.equal(runSteward(['demo', '--db', db.dbUrl]).code, 0);
      const ok = verify(db.dbUrl);
      assert.equal(ok.code, 0, ok.out);
      assert.match(ok.out, /legacy chain .*ok, 3 entries/);
      const first = auditRows(db.dbUrl, "region_code = '430424' AND seq = 1")[0];
      assert.equal(first.prev_hash, prev, 'the region chain starts from the legacy head');
      assert.ok(Number(first.id) > 3, 'new ids continue after the old ones');
      server = await startServer({ dbUrl: db.dbUrl });
      const admin = await signedIn(server.url, 'admin');
      const api = await admin.get('/audit/verify');
      assert.equal(api.body.ok, true, show(api));
      assert.equal(api.body.legacy.rows, 3);
      sqlExec(db.dbUrl, "UPDATE audit_log SET after_json = '{\"n\":9}' WHERE id = 2");
      const broken = verify(db.dbUrl);
      assert.equal(broken.code, 1, broken.out);
      assert.match(broken.out, /legacy chain at entry 2\b/);
    } finally {
      await server?.stop();
      db.drop();
    }
  });
});

describe('bounded responses', () => {
  let server, hq, projectId;
  before(async () => {
    server = await startServer();
    hq = await signedIn(server.url, 'hq');
  });
  after(async () => { await server?.stop(); });

  test('an oversized before/after image is stored as a summary: keys, size and SHA-256', async () => {
    const list = await hq.get('/projects?page_size=1');
    projectId = list.body.items[0].id;
    const note = '按期推进土地报批与环评手续，'.repeat(12);
    const nodes = Array.from({ length: 40 }, (_, i) => ({ key: `custom_${i + 1}`, name: `节点${i + 1}`, planned_date: '2026-05-01', actual_date: null, unit_id: null, note }));
    const r = await hq.put(`/projects/${projectId}/nodes`, { nodes });
    assert.equal(r.status, 200, show(r));
    // The edit may also turn the project's light (a later 'light' entry of the same transaction).
    const h = await hq.get(`/projects/${projectId}/history?limit=5`);
    assert.equal(h.status, 200, show(h));
    const entry = h.body.items.find((e) => e.action === 'nodes');
    assert.ok(entry, JSON.stringify(h.body.items.map((e) => e.action)));
    assert.equal(entry.after._summary, true, JSON.stringify(entry.after).slice(0, 300));
    assert.ok(entry.after.bytes > 16 * 1024, `${entry.after.bytes} bytes`);
    assert.match(entry.after.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(entry.after.keys, ['nodes']);
    const stored = sqlExec(server.dbUrl, `SELECT LENGTH(after_json) FROM audit_log WHERE id = ${entry.id}`);
    assert.ok(Number(stored) < 2048, `stored ${stored} characters`);
    assert.equal(verify(server.dbUrl).code, 0);
  });

  test('project history pages by cursor, newest first, capped at 100 per page', async () => {
    for (let i = 0; i < 5; i++) await newProjectEntry(hq, `分页测试项目${i}`);
    const list = await hq.get('/projects?page_size=1');
    const id = list.body.items[0].id;
    const all = [];
    let cursor = null;
    for (let guard = 0; guard < 100; guard++) {
      const r = await hq.get(`/projects/${id}/history?limit=2${cursor ? `&before=${cursor}` : ''}`);
      assert.equal(r.status, 200, show(r));
      assert.ok(r.body.items.length <= 2);
      all.push(...r.body.items.map((x) => x.id));
      cursor = r.body.next_before;
      if (cursor === null) break;
      assert.equal(cursor, r.body.items.at(-1).id);
    }
    assert.equal(cursor, null, 'the pages end');
    const count = Number(sqlExec(server.dbUrl, `SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND entity_id = '${id}'`));
    assert.equal(all.length, count);
    assert.deepEqual(all, [...all].sort((a, b) => b - a), 'newest first, no repeats');
    assert.ok(all.length >= 5);
    const big = await hq.get(`/projects/${id}/history?limit=100000`);
    assert.ok([400, 422].includes(big.status), show(big));
    const dflt = await hq.get(`/projects/${id}/history`);
    assert.ok(dflt.body.items.length <= 20);
  });

  test('recent activity pages too, and the dashboard shows a bounded list', async () => {
    const p1 = await hq.get('/activity?limit=3');
    assert.equal(p1.status, 200, show(p1));
    assert.equal(p1.body.items.length, 3);
    const p2 = await hq.get(`/activity?limit=3&before=${p1.body.next_before}`);
    assert.equal(p2.status, 200, show(p2));
    assert.ok(p2.body.items[0].id < p1.body.items.at(-1).id);
    assert.ok([400, 422].includes((await hq.get('/activity?limit=101')).status));
    const viewer = await signedIn(server.url, 'viewer');
    const v = await viewer.get('/activity?limit=50');
    assert.equal(v.status, 200, show(v));
    assert.ok(v.body.items.every((x) => x.entity === 'project'), 'a reader sees project changes only');
    const d = await hq.get('/dashboard');
    assert.ok(d.body.recent_audit.length <= 8);
    assert.ok(JSON.stringify(d.body).length < 300_000, 'the dashboard stays small');
  });
});
