// A project's light is evaluated at once when its facts change, not only at night: its dates (PATCH), its node
// plan, its investment plan, a progress report submitted and a report returned. The nightly job is off
// here (--remind-interval 0), so only these hooks can change the published light.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, sqlExec, startServer } from './harness.mjs';

const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
let server, hq, liaison, pid;

before(async () => {
  fs.writeFileSync(clock, '2026-03-10T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock', '--remind-interval', '0'] });
  hq = new Client(server.url);
  liaison = new Client(server.url);
  await hq.login('hq');
  await liaison.login('liaison');
  const r = await hq.post('/projects', { name: '亮灯联动测试项目', category: 'industrial', planned_start: '2026-06-01' });
  assert.equal(r.status, 201, show(r));
  pid = r.body.id;
});
after(async () => { await server?.stop(); });

const projectOf = async (id = pid) => (await hq.get(`/projects/${id}`)).body;
const dimensionsOf = async (id = pid) => (await projectOf(id)).light_reasons.map((r) => r.dimension);

test('changing the planned or actual start turns the light at once', async () => {
  assert.ok(!(await dimensionsOf()).includes('start_slip'));
  let p = await projectOf();
  const late = await hq.patch(`/projects/${pid}`, { planned_start: '2025-10-01', version: p.version });
  assert.equal(late.status, 200, show(late));
  p = await projectOf();
  assert.equal(p.light, 'red', JSON.stringify(p.light_reasons));
  assert.equal(p.light_reasons[0].dimension, 'start_slip');
  const started = await hq.patch(`/projects/${pid}`, { actual_start: '2026-03-01', version: p.version });
  assert.equal(started.status, 200, show(started));
  assert.ok(!(await dimensionsOf()).includes('start_slip'), 'started: the start slip is gone');
});

test('a node plan with an overdue node lights node slip at once; its actual date clears it', async () => {
  const node = (actual) => ({ nodes: [{ key: 'custom_a', name: '施工许可', planned_date: '2026-02-01', actual_date: actual, unit_id: null, note: '' }] });
  const r = await hq.put(`/projects/${pid}/nodes`, node(null));
  assert.equal(r.status, 200, show(r));
  assert.ok((await dimensionsOf()).includes('node_slip'), JSON.stringify((await projectOf()).light_reasons));
  const done = await hq.put(`/projects/${pid}/nodes`, node('2026-02-20'));
  assert.equal(done.status, 200, show(done));
  assert.ok(!(await dimensionsOf()).includes('node_slip'));
});

test('a yearly plan the started project is behind lights investment against time progress at once', async () => {
  assert.ok(!(await dimensionsOf()).includes('investment_time'));
  const r = await hq.put(`/projects/${pid}/plan`, { year: 2026, annual: 120_000_000, months: Array(12).fill(10_000_000) });
  assert.equal(r.status, 200, show(r));
  const p = await projectOf();
  assert.ok(p.light_reasons.some((x) => x.dimension === 'investment_time'), JSON.stringify(p.light_reasons));
  assert.equal(p.spi_bp, 0, 'nothing earned against the plan');
});

test('submitting the missing report clears the reports dimension at once; returning it lights it again', async () => {
  // March's report is due on 5 April; on 8 April the project, created in March, misses it. Sessions idle out
  // across the jump.
  fs.writeFileSync(clock, '2026-04-08T02:00:00Z\n');
  await hq.login('hq');
  await liaison.login('liaison');
  const ev = await hq.post('/lights/evaluate', {});
  assert.equal(ev.status, 200, show(ev));
  const project = await projectOf();
  assert.ok(project.light_reasons.some((r) => r.dimension === 'reports' && r.value === 1), JSON.stringify(project.light_reasons));
  sqlExec(server.dbUrl, `UPDATE projects SET liaison_id = (SELECT id FROM users WHERE username = 'liaison') WHERE id = ${project.id}`);
  const sub = await liaison.post(`/projects/${project.id}/reports`, { period: '2026-03', investment: 0, percent: 5, progress: '办理施工许可' });
  assert.equal(sub.status, 201, show(sub));
  assert.equal(sub.body.period, '2026-03', 'the report missed');
  assert.ok(!(await dimensionsOf(project.id)).includes('reports'), JSON.stringify((await projectOf(project.id)).light_reasons));
  const ret = await hq.post(`/reports/${sub.body.id}/return`, { reason: '数据有误，请核实后重报' });
  assert.equal(ret.status, 200, show(ret));
  assert.ok((await dimensionsOf(project.id)).includes('reports'), 'a returned report is missing again');
});
