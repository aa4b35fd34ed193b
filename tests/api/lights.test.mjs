// Warning lights (亮灯预警) on the county's clock: a project's light changes as days pass, recovers when the project
// catches up, a replay under a changed rule set shows the light published that day beside the correction, the
// board, the CLI's JSON lines, and a project entered today with a planned start in March 2023 red as of 2023-10-31.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runSteward, show, startServer } from './harness.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-lights-'));
const clock = path.join(dir, 'now');
const setClock = (t) => fs.writeFileSync(clock, `${t}\n`);
let server, hq, viewer;
let pid; // planned to start on 2026-02-10, not started

function storeRules(body) {
  const file = path.join(dir, 'lights.json');
  fs.writeFileSync(file, JSON.stringify(body));
  const s = runSteward(['rules', 'lights', '--db', server.dbUrl, '--region', '430424', '--file', file, '--effective', '2026-01-01']);
  assert.equal(s.code, 0, s.stderr);
}

before(async () => {
  setClock('2026-02-20T02:00:00Z');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  // This county's rules leave missing reports out of the light, so the start slip speaks alone.
  storeRules({ reports: { enabled: false } });
  hq = new Client(server.url);
  viewer = new Client(server.url);
  await hq.login('hq');
  await viewer.login('viewer');
  const r = await hq.post('/projects', { name: '亮灯测试项目', category: 'industrial', planned_start: '2026-02-10' });
  assert.equal(r.status, 201, show(r));
  pid = r.body.id;
});
after(async () => { await server?.stop(); });

// Moves the county's clock; sessions idle out across the jump, so both sign in again.
const moveTo = async (t) => {
  setClock(t);
  await hq.login('hq');
  await viewer.login('viewer');
};
const evaluate = async () => {
  const r = await hq.post('/lights/evaluate', {});
  assert.equal(r.status, 200, show(r));
  return r.body;
};
const lightOf = async (id) => (await viewer.get(`/projects/${id}`)).body;

test('a new project is evaluated at once: green while its planned start month lasts', async () => {
  const p = await lightOf(pid);
  assert.equal(p.light, 'green');
  assert.deepEqual(p.light_reasons, []);
  assert.equal(p.light_since, '2026-02-20');
  assert.equal(p.planned_production, null);
});

test('lights change as days pass: yellow once the month has passed, red after three months', async () => {
  await moveTo('2026-03-02T02:00:00Z');
  const out = await evaluate();
  assert.equal(out.as_of, '2026-03-02');
  assert.ok(out.counts.yellow >= 1 && out.counts.red >= 0, JSON.stringify(out.counts));
  let p = await lightOf(pid);
  assert.equal(p.light, 'yellow');
  assert.equal(p.light_reasons[0].dimension, 'start_slip');
  assert.equal(p.light_reasons[0].rule, 'start_slip.yellow_after');
  assert.match(p.light_reasons[0].message, /计划2026年2月开工，逾期1个月未开工/);
  assert.equal(p.light_since, '2026-03-02');

  await moveTo('2026-06-01T02:00:00Z');
  await evaluate();
  p = await lightOf(pid);
  assert.equal(p.light, 'red');
  assert.equal(p.light_reasons[0].light, 'red');
  assert.equal(p.light_reasons[0].since, '2026-05-29', 'red from the day after three months past the end of February');
  assert.equal(p.light_since, '2026-06-01');
  // The list filters on the published light.
  const reds = (await viewer.get('/projects?light=red&page_size=200')).body.items.map((x) => x.id);
  assert.ok(reds.includes(pid));
  const greens = (await viewer.get('/projects?light=green&page_size=200')).body.items.map((x) => x.id);
  assert.ok(!greens.includes(pid));
  assert.equal((await viewer.get('/projects?light=purple')).status, 422);
});

test('the board lists red before yellow with reasons, counts by light and dimension', async () => {
  const r = await viewer.get('/lights?page_size=200');
  assert.equal(r.status, 200, show(r));
  const b = r.body;
  assert.equal(b.as_of, '2026-06-01');
  assert.equal(b.total, b.counts.red + b.counts.yellow);
  const lights = b.items.map((x) => x.light);
  assert.deepEqual(lights, [...lights].sort((x, y) => (x === 'red' ? 0 : 1) - (y === 'red' ? 0 : 1)));
  const mine = b.items.find((x) => x.project.id === pid);
  assert.equal(mine.light, 'red');
  assert.equal(mine.reasons[0].dimension, 'start_slip');
  const start = b.by_dimension.find((d) => d.dimension === 'start_slip');
  assert.ok(start.red >= 1);
  assert.equal(start.label, '开工滞后');
  const only = (await viewer.get('/lights?dimension=start_slip&light=red&page_size=200')).body;
  assert.ok(only.items.every((x) => x.light === 'red' && x.reasons.some((y) => y.dimension === 'start_slip')));
  assert.ok(only.items.some((x) => x.project.id === pid));
});

test('the project\'s lights: history as a strip of days, earned value beside it', async () => {
  const r = await viewer.get(`/projects/${pid}/lights?days=120`);
  assert.equal(r.status, 200, show(r));
  const byDay = Object.fromEntries(r.body.history.map((h) => [h.day, h.light]));
  assert.equal(byDay['2026-03-02'], 'yellow');
  assert.equal(byDay['2026-06-01'], 'red');
  assert.equal(r.body.light, 'red');
  assert.equal(r.body.evaluated_at, '2026-06-01');
  assert.equal(r.body.earned_value.has_plan, false);
});

test('recovery: starting the project turns it green at once', async () => {
  await moveTo('2026-06-02T02:00:00Z');
  const cur = await hq.get(`/projects/${pid}`);
  const r = await hq.patch(`/projects/${pid}`, { actual_start: '2026-06-02', version: cur.body.version });
  assert.equal(r.status, 200, show(r));
  const p = await lightOf(pid);
  assert.equal(p.light, 'green');
  assert.equal(p.light_since, '2026-06-02');
  // The change of light is audited by the system, before and after.
  const audit = (await hq.get(`/audit?entity=project&entity_id=${pid}`)).body.items.filter((e) => e.action === 'light');
  assert.ok(audit.length >= 3, JSON.stringify(audit));
});

test('replay under a changed rule set shows the light published that day and the correction', async () => {
  // The county allows a year before red, from the start of 2026.
  storeRules({ reports: { enabled: false }, start_slip: { red_after: { months: 12 } } });
  const r = await viewer.get(`/lights/replay?as_of=2026-06-01&project_id=${pid}`);
  assert.equal(r.status, 200, show(r));
  const [it] = r.body.items;
  assert.equal(it.project.id, pid);
  assert.equal(it.published.light, 'red');
  assert.equal(it.replayed.light, 'yellow');
  assert.equal(it.corrected, true);
  // A day before any evaluation has nothing published; the replay still answers.
  const early = (await viewer.get(`/lights/replay?as_of=2026-02-01&project_id=${pid}`)).body.items[0];
  assert.equal(early.published, null);
  assert.equal(early.corrected, false);
});

test('the CLI prints every light as JSON lines; a project entered today with a March 2023 start is red as of 2023-10-31', async () => {
  const r0 = await hq.post('/projects', { name: '补录老项目', category: 'industrial', planned_start: '2023-03-15' });
  assert.equal(r0.status, 201, show(r0));
  const r = runSteward(['evaluate', '--db', server.dbUrl, '--as-of', '2023-10-31', '--json', '--region', '430424']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const old = lines.find((l) => l.id === r0.body.id);
  assert.equal(old.light, 'red');
  assert.equal(old.code, r0.body.code);
  assert.equal(old.name, '补录老项目');
  assert.equal(old.reasons[0].dimension, 'start_slip');
  assert.equal(old.reasons[0].value, 7);
  assert.equal(old.reasons[0].threshold, 3);
  assert.equal(old.reasons[0].since, '2023-07-01');
  assert.match(old.reasons[0].message, /逾期7个月未开工/);
  // The project planned for 2026 had not reached its start in 2023.
  assert.equal(lines.find((l) => l.id === pid).light, 'green');
  const text = runSteward(['evaluate', '--db', server.dbUrl, '--as-of', '2023-10-31', '--region', '430424']);
  assert.match(text.stdout, /红灯\t补录老项目/);
});
