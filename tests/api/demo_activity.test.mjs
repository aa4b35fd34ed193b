// `steward demo` brings a year of the county's activity: monthly and daily reports under the total investment,
// returned ones in the reporter's inbox, two closed months, a live missing list and the leaders' visits; the same
// county every time for the same day.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runSteward, show, startServer } from './harness.mjs';

let server, hq, liaison;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
const clockArgs = ['--clock-file', clock, '--allow-test-clock'];

before(async () => {
  fs.writeFileSync(clock, '2026-12-02T02:00:00Z\n'); // Wednesday 2 December: the November report is due by the 5th
  server = await startServer({ demo: false, extraArgs: clockArgs });
  const r = runSteward(['demo', '--db', server.dbUrl, ...clockArgs]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /demo: \d+ monthly and \d+ daily reports/);
  hq = new Client(server.url);
  liaison = new Client(server.url);
  await hq.login('hq');
  await liaison.login('liaison');
});
after(async () => { await server?.stop(); });

test('every started project has monthly reports that sum under its total investment; the others report no investment', async () => {
  const projects = (await hq.get('/projects?page_size=200')).body.items;
  const started = projects.filter((p) => p.actual_start && p.status !== 'cancelled');
  assert.ok(started.length >= 15, `${started.length} started projects`);
  let withReports = 0;
  for (const p of started) {
    const r = await hq.get(`/projects/${p.id}/reports?limit=100`);
    assert.equal(r.status, 200, show(r));
    if (r.body.items.length > 0) withReports++;
    assert.ok(r.body.reported_total <= p.total_investment, `${p.name}: ${r.body.reported_total} > ${p.total_investment}`);
    for (const item of r.body.items) {
      assert.ok(item.investment >= 0 && item.percent >= 0 && item.percent <= 100, show(r));
      assert.ok(item.progress.length > 0, 'a progress text');
      assert.ok(item.period_end >= p.actual_start.slice(0, 8) + '01', `${p.name}: a report before its start`);
    }
  }
  assert.equal(withReports, started.length, 'each started project reported');
  const notStarted = projects.find((p) => !p.actual_start);
  const prep = await hq.get(`/projects/${notStarted.id}/reports`);
  assert.ok(prep.body.items.length <= 3, 'a project not started reports its preparation for the last quarter');
  assert.equal(prep.body.reported_total, 0, 'and no investment');
});

test('two months are closed and frozen; the daily periods of the last weeks exist', async () => {
  const months = await hq.get('/periods?cadence=month&limit=100');
  assert.equal(months.status, 200, show(months));
  const closed = months.body.items.filter((p) => p.status === 'closed').map((p) => p.key);
  assert.deepEqual(closed.sort(), ['2026-08', '2026-09']);
  const aug = await hq.get('/periods/month/2026-08');
  assert.equal(aug.body.frozen, true);
  assert.ok(aug.body.figures.totals.investment > 0, show(aug));
  const days = await hq.get('/periods?cadence=day&limit=100');
  assert.ok(days.body.items.length >= 20, `${days.body.items.length} daily periods`);
});

test('the missing list is alive; a returned report waits in the liaison\'s inbox', async () => {
  const miss = await hq.get('/reports/missing?cadence=month');
  assert.equal(miss.status, 200, show(miss));
  assert.equal(miss.body.period.key, '2026-11');
  assert.ok(miss.body.missing > 0 && miss.body.reported > miss.body.missing, show(miss));
  const inbox = await liaison.get('/inbox');
  assert.equal(inbox.status, 200, show(inbox));
  assert.ok(inbox.body.items.some((m) => m.kind === 'report_returned'), show(inbox));
  assert.ok(inbox.body.unread > 0);
});

test('the leaders visited most projects last week and some this week', async () => {
  const last = await hq.get('/visits/rates?week=2026-W48');
  assert.equal(last.status, 200, show(last));
  assert.ok(last.body.totals.rate_bp >= 5000 && last.body.totals.rate_bp < 10000, show(last));
  const now = await hq.get('/visits/missing');
  assert.equal(now.body.week.key, '2026-W49');
  assert.ok(now.body.visited < now.body.led / 2 && now.body.leaders.length > 0, show(now));
});

test('a dozen sites under construction carry two photos each on their newest monthly report, served as thumbnails', async () => {
  const projects = (await hq.get('/projects?page_size=200')).body.items.filter((p) => p.stage === 'construction');
  let withPhotos = 0;
  for (const p of projects) {
    const monthly = (await hq.get(`/projects/${p.id}/reports?limit=100`)).body.items.filter((r) => r.cadence === 'month');
    const cited = monthly.filter((r) => r.photos.length);
    if (!cited.length) continue;
    withPhotos++;
    assert.equal(cited.length, 1, 'only the newest report');
    assert.equal(cited[0].photos.length, 2);
    const thumb = await hq.get(cited[0].photos[0].thumb_url.replace('/api/v1', ''));
    assert.equal(thumb.status, 200);
  }
  assert.equal(withPhotos, Math.min(12, projects.length));
});

test('the same day gives the same county', async () => {
  const again = await startServer({ demo: false });
  try {
    const r = runSteward(['demo', '--db', again.dbUrl, ...clockArgs]);
    assert.equal(r.code, 0, r.stderr);
    const first = runSteward(['demo', '--db', server.dbUrl, '--if-empty', ...clockArgs]);
    assert.match(first.stdout, /already has data/);
    const line = (out) => out.split('\n').find((l) => l.includes('monthly and'));
    const original = runSteward(['demo', '--db', again.dbUrl, '--if-empty', ...clockArgs]);
    assert.match(original.stdout, /already has data/);
    assert.ok(line(r.stdout));
    const c = new Client(again.url);
    await c.login('hq');
    const a = (await hq.get('/periods/month/2026-08')).body.figures.totals;
    const b = (await c.get('/periods/month/2026-08')).body.figures.totals;
    assert.deepEqual(b, a);
  } finally {
    await again.stop();
  }
});

test('the demo\'s light history is what a replay finds: the letters were walked between the days evaluated', async () => {
  for (const day of ['2026-11-05', '2026-11-13', '2026-11-20', '2026-11-28']) {
    const r = await hq.get(`/lights/replay?as_of=${day}&page_size=200`);
    assert.equal(r.status, 200, show(r));
    assert.ok(r.body.items.length > 0);
    const corrected = r.body.items.filter((p) => p.corrected).map((p) => p.name);
    assert.deepEqual(corrected, [], `${day}: replay differs from the published history`);
  }
});
