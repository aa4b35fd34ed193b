// Class: storage faults under a running server. On PostgreSQL the cluster is restarted (and, separately, every
// backend of steward's is ended, as a failover does) while steward serves: the next requests succeed without
// restarting steward. On SQLite another process holds the write lock while the API writes: the write is retried
// once the lock is gone, instead of failing.
import assert from 'node:assert/strict';
import { execSync, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { dbKind, show, signedIn, sleep, sqlExec, startServer } from '../api/harness.mjs';

const kind = dbKind();

async function firstProject(client) {
  const r = await client.get('/projects?page=1&page_size=1');
  assert.equal(r.status, 200, show(r));
  assert.ok(r.body.items.length > 0, 'the demo data has projects');
  const one = await client.get(`/projects/${r.body.items[0].id}`);
  assert.equal(one.status, 200, show(one));
  return one.body;
}

// Renames a project and reads the name back.
async function writeAndReadBack(client, name) {
  const p = await firstProject(client);
  const w = await client.patch(`/projects/${p.id}`, { name, version: p.version });
  assert.equal(w.status, 200, show(w));
  const r = await client.get(`/projects/${p.id}`);
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.name, name);
}

// Everything a user does right after the fault: health, a signed-in list (more requests than the pool holds
// connections, some at once), a write read back.
async function everythingWorks(server, client, name) {
  const h = await client.get('/health');
  assert.equal(h.status, 200, show(h));
  assert.equal(h.body.status, 'ok');
  for (let i = 0; i < 12; i++) {
    const r = await client.get('/projects?page=1&page_size=5');
    assert.equal(r.status, 200, `request ${i + 1} after the fault: ${show(r)}`);
  }
  const burst = await Promise.all(Array.from({ length: 8 }, () => client.get('/projects?page=1&page_size=5')));
  for (const r of burst) assert.equal(r.status, 200, show(r));
  await writeAndReadBack(client, name);
}

describe('PostgreSQL restarts and failovers under a running server', { skip: kind !== 'postgresql' && 'runs on PostgreSQL (the SQLite run checks lock retries below)' }, () => {
  let server;
  let hq;
  before(async () => {
    server = await startServer();
    hq = await signedIn(server.url, 'hq');
    // Several requests at once, so the pool holds more than one connection when the server goes away.
    const warm = await Promise.all(Array.from({ length: 6 }, () => hq.get('/projects?page=1&page_size=5')));
    for (const r of warm) assert.equal(r.status, 200, show(r));
  });
  after(async () => { await server?.stop(); });

  test('after a restart of the PostgreSQL cluster every request succeeds without restarting steward', async () => {
    const restart = process.env.STEWARD_TEST_PG_RESTART;
    assert.ok(restart, 'STEWARD_TEST_PG_RESTART is set by scripts/with-postgres.sh');
    execSync(restart, { stdio: 'ignore', shell: '/bin/sh', timeout: 120_000 });
    // pg_ctl -w returns once the server accepts connections; allow a short bounded wait all the same.
    for (let i = 0; ; i++) {
      try {
        sqlExec(server.dbUrl, 'SELECT 1');
        break;
      } catch (e) {
        if (i >= 50) throw e;
        await sleep(100);
      }
    }
    await everythingWorks(server, hq, '重启后改名的项目');
    assert.equal(server.proc.exitCode, null, 'steward kept running');
  });

  test('after every steward backend is ended (a failover) the next requests reconnect', async () => {
    const ended = sqlExec(server.dbUrl,
      'SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity ' +
      'WHERE datname = current_database() AND pid <> pg_backend_pid()) t');
    assert.ok(Number(ended) >= 1, `steward had connections to end (${ended})`);
    await everythingWorks(server, hq, '切换后改名的项目');
  });
});

describe('SQLite: a write waits out another process holding the write lock', { skip: kind !== 'sqlite' && 'runs on SQLite' }, () => {
  let server;
  let hq;
  const saved = process.env.STEWARD_SQLITE_BUSY_TIMEOUT_MS;
  before(async () => {
    // Each attempt waits 1 s for the lock, then the transaction is retried (instead of the default 10 s wait).
    process.env.STEWARD_SQLITE_BUSY_TIMEOUT_MS = '1000';
    server = await startServer();
    hq = await signedIn(server.url, 'hq');
  });
  after(async () => {
    if (saved === undefined) delete process.env.STEWARD_SQLITE_BUSY_TIMEOUT_MS;
    else process.env.STEWARD_SQLITE_BUSY_TIMEOUT_MS = saved;
    await server?.stop();
  });

  test('the write is retried after SQLITE_BUSY and succeeds once the other writer commits', async () => {
    const p = await firstProject(hq);
    const file = server.dbUrl.slice('sqlite:'.length);
    const holder = spawn('sqlite3', [file], { stdio: ['pipe', 'pipe', 'pipe'] });
    let holderOut = '';
    const holderExit = new Promise((resolve) => holder.on('exit', resolve));
    try {
      // Take the write lock and wait until the other process says it holds it.
      await new Promise((resolve, reject) => {
        holder.stdout.on('data', (d) => { holderOut += d; if (holderOut.includes('locked')) resolve(); });
        holder.stderr.on('data', (d) => reject(new Error(`sqlite3: ${d}`)));
        holder.stdin.write("BEGIN IMMEDIATE;\nUPDATE projects SET updated_at = updated_at WHERE id = 0;\nSELECT 'locked';\n");
      });
      // The write starts while the lock is held; once the server reports the retry, the other writer commits.
      let log = '';
      const retried = new Promise((resolve) => {
        const onData = (d) => {
          log += d;
          if (log.includes('database busy, retrying the transaction')) {
            server.proc.stderr.off('data', onData);
            resolve('retried');
          }
        };
        server.proc.stderr.on('data', onData);
      });
      const write = hq.patch(`/projects/${p.id}`, { name: '等锁之后改名', version: p.version });
      const first = await Promise.race([retried, write.then((r) => r)]);
      assert.equal(first, 'retried', `the write answered before any retry: ${first.status ? show(first) : first}`);
      holder.stdin.end('COMMIT;\n');
      await holderExit;
      const w = await write;
      assert.equal(w.status, 200, show(w));
      const r = await hq.get(`/projects/${p.id}`);
      assert.equal(r.body.name, '等锁之后改名');
    } finally {
      if (holder.exitCode === null) holder.kill();
    }
  });
});
