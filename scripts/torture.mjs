// Crash loop: kill -9 the server at random moments under concurrent writes, restart it on the same database,
// and check that every acknowledged write (a 200/201 answer) survived. Loopback only, bounded by TORTURE_CYCLES.
// Node built-ins only; reuses the API test harness. Run through scripts/torture.sh (`make torture`).
//   STEWARD_BIN       the steward binary (absolute path)
//   STEWARD_TEST_DB   sqlite | postgresql (under scripts/with-postgres.sh)
//   TORTURE_CYCLES    kill/restart cycles (default 100)
//   TORTURE_WORKERS   concurrent writers (default 4)
import { Client, createDatabase, runSteward, sqlExec, startServer } from '../tests/api/harness.mjs';

const cycles = Number(process.env.TORTURE_CYCLES || 100);
const workers = Number(process.env.TORTURE_WORKERS || 4);
if (!(cycles >= 1 && cycles <= 100000) || !(workers >= 1 && workers <= 64)) {
  console.error('TORTURE_CYCLES must be 1..100000 and TORTURE_WORKERS 1..64');
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function must(args) {
  const r = runSteward(args);
  if (r.code !== 0) throw new Error(`steward ${args.join(' ')}: ${r.code}\n${r.stdout}${r.stderr}`);
  return r;
}

const db = createDatabase();
const kind = db.kind;
let exitCode = 0;
try {
  must(['migrate', '--db', db.dbUrl]);
  must(['demo', '--db', db.dbUrl]);

  // Sign in once: sessions live in the database, so the same clients carry on across restarts.
  let server = await startServer({ dbUrl: db.dbUrl });
  const clients = [];
  for (let w = 0; w < workers; w++) {
    const c = new Client(server.url);
    await c.signIn('hq');
    clients.push(c);
  }
  const projectIds = (await clients[0].get('/projects?page_size=200')).body.items.map((p) => p.id);

  const acked = new Set(); // names of projects whose creation was answered 201
  // Each writer edits only its own projects, one request at a time, so per project the stored content must be
  // the last acknowledged one, the one in flight when the server died, or one the writer gave up waiting for
  // (after 10 s it moves on, but the server may still apply that request, later than an acknowledged edit; it
  // cannot land after the server is killed, so these are forgotten at each check).
  const edits = new Map(); // project id → { acked, pending }
  let seq = 0;
  let editsAcked = 0;
  let abandonedApplied = 0; // edits the writer stopped waiting for that the server applied after all
  let lost = [];

  const present = () => new Set(sqlExec(db.dbUrl, "SELECT name FROM projects WHERE name LIKE 'torture-%'").split('\n').filter(Boolean));

  for (let cycle = 1; cycle <= cycles; cycle++) {
    let running = true;
    const within = (p) => Promise.race([p, sleep(10_000).then(() => { throw new Error('no answer'); })]);
    const loop = async (c, w) => {
      const mine = projectIds.filter((_, i) => i % workers === w);
      while (running) {
        const n = ++seq;
        try {
          if (n % 2 === 0 || mine.length === 0) {
            const name = `torture-${cycle}-${w}-${n}`;
            const r = await within(c.post('/projects', { name, category: 'other', total_investment: n }));
            if (r.status === 201) acked.add(name);
          } else {
            const id = mine[n % mine.length];
            const content = `torture edit ${n}`;
            const e = edits.get(id) || { acked: null, pending: null, abandoned: new Set() };
            edits.set(id, e);
            e.pending = content;
            let r;
            try {
              r = await within(c.patch(`/projects/${id}`, { content }));
            } catch (err) {
              if (err.message === 'no answer') e.abandoned.add(content);
              throw err;
            }
            if (r.status === 200) e.acked = content, editsAcked++;
            e.pending = null;
          }
        } catch {
          // The server died under the request: not acknowledged, so nothing to check.
          await sleep(5);
        }
      }
    };
    for (const c of clients) c.baseUrl = server.url;
    const loops = clients.map((c, w) => loop(c, w));
    await sleep(100 + Math.floor(Math.random() * 900));
    const exited = new Promise((resolve) => server.proc.once('exit', resolve));
    server.proc.kill('SIGKILL');
    await exited;
    running = false;
    await Promise.all(loops);

    server = await startServer({ dbUrl: db.dbUrl });
    const have = present();
    lost = [...acked].filter((n) => !have.has(n));
    for (const [id, e] of edits) {
      if (e.acked === null) continue;
      const r = await clients[0].request('GET', server.url + `/api/v1/projects/${id}`);
      if (r.status !== 200) { lost.push(`project ${id}: ${r.status}`); continue; }
      if (r.body.content !== e.acked && r.body.content !== e.pending && !e.abandoned.has(r.body.content))
        lost.push(`edit of project ${id}: ${e.acked} → ${r.body.content}`);
      if (e.abandoned.size) abandonedApplied += e.abandoned.has(r.body.content) ? 1 : 0;
      e.acked = r.body.content;
      e.pending = null;
      e.abandoned.clear();
    }
    if (cycle % 10 === 0 || lost.length) console.log(`[${kind}] cycle ${cycle}/${cycles}: ${acked.size} creations and ${editsAcked} edits acknowledged, ${lost.length} lost`);
    if (lost.length) break;
  }
  const exited = new Promise((resolve) => server.proc.once('exit', resolve));
  server.proc.kill('SIGTERM');
  await exited;

  const verify = runSteward(['audit', 'verify', '--db', db.dbUrl]);
  let integrity;
  if (kind === 'sqlite') {
    integrity = sqlExec(db.dbUrl, 'PRAGMA integrity_check');
  } else {
    // amcheck verifies every B-tree index of our tables against its heap.
    try {
      sqlExec(db.dbUrl, 'CREATE EXTENSION IF NOT EXISTS amcheck');
      sqlExec(db.dbUrl, "SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'");
      integrity = 'ok (amcheck: every btree index consistent with its table)';
    } catch (e) {
      integrity = `FAILED: ${String(e.message).split('\n').slice(0, 3).join(' ')}`;
    }
  }
  const writes = acked.size + editsAcked;
  console.log(`[${kind}] torture: ${cycles} kill -9 cycles, ${workers} writers`);
  console.log(`[${kind}] writes acknowledged: ${writes} (${acked.size} creations, each checked; ${editsAcked} edits, the last of each project checked every cycle)`);
  console.log(`[${kind}] writes lost: ${lost.length}${lost.length ? ' — ' + lost.slice(0, 5).join('; ') : ''}`);
  console.log(`[${kind}] edits given up on after 10 s but applied by the server after a later acknowledged one: ${abandonedApplied}`);
  console.log(`[${kind}] audit verify: ${(verify.stdout + verify.stderr).trim()} (exit ${verify.code})`);
  console.log(`[${kind}] integrity check: ${integrity}`);
  if (lost.length || verify.code !== 0 || !/^ok/.test(integrity) || writes === 0) exitCode = 1;
} catch (e) {
  console.error(`[${kind}] torture failed: ${e.stack || e}`);
  exitCode = 1;
} finally {
  db.drop();
}
process.exit(exitCode);
