// The scheduler inside `steward serve` reminds liaisons of overdue reports by itself: once the county's clock
// passes the deadline, the reminder reaches the liaison's inbox without anyone pressing 催报 or running
// `steward remind`, and the server's log names the job.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';

// 10:00 on 3 March 2026 in the county: February's monthly report is due by 5 March 18:00 (10:00Z).
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const setClock = (t) => fs.writeFileSync(clock, `${t}\n`);
let server;
let project;

before(async () => {
  setClock('2026-03-03T02:00:00Z');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock', '--remind-interval', '1'] });
  const hq = new Client(server.url);
  await hq.login('hq');
  const list = await hq.get('/projects?page_size=200');
  project = list.body.items.find((p) => p.unit_name === '县工业和信息化局' && p.status !== 'cancelled');
  assert.ok(project);
  sqlExec(server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
});
after(async () => { await server?.stop(); });

// Waits for an event the scheduler causes (not for time to pass): polls until `probe` holds or 30 s are gone.
async function eventually(probe, what) {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('after the deadline the scheduler reminds the liaison of the missing report, once', async () => {
  const liaison = new Client(server.url);
  await liaison.login('liaison');
  const before = await liaison.get('/inbox?limit=50');
  assert.equal(before.status, 200, show(before));
  assert.ok(!before.body.items.some((m) => m.project_id === project.id), 'no reminder before the deadline');

  setClock('2026-03-05T10:00:01Z'); // one second after the deadline
  await liaison.login('liaison'); // two days on, the old session has timed out
  const inbox = await eventually(async () => {
    const r = await liaison.get('/inbox?limit=50');
    return r.status === 200 && r.body.items.some((m) => m.project_id === project.id) ? r : null;
  }, 'a reminder in the liaison\'s inbox');
  const reminders = inbox.body.items.filter((m) => m.project_id === project.id);
  assert.equal(reminders.length, 1, show(inbox));
  assert.match(reminders[0].title + reminders[0].body, /2026年2月|2026-02/);
  await eventually(() => /job remind-overdue-reports: reminders sent: \d+/.test(server.stderr()), 'the job in the log');

  // Later runs of the job do not repeat it (one reminder per project and period).
  const runs = () => (server.stderr().match(/job remind-overdue-reports/g) || []).length;
  const hq = new Client(server.url);
  await hq.login('hq');
  const audit = await hq.get('/audit?entity=report_period&page_size=50');
  assert.equal(audit.status, 200, show(audit));
  assert.ok(audit.body.items.some((e) => e.action === 'remind'), 'the reminders are audited');
  const again = await liaison.get('/inbox?limit=50');
  assert.equal(again.body.items.filter((m) => m.project_id === project.id).length, 1);
  assert.equal(runs(), 1, 'a run that sends nothing writes no log line');
});
