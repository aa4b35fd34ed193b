// The checklist of "ones" configured per county (issue 8): the project shows its county profile's items, manual
// items are ticked through the team update (checks, and has_plan / has_schedule as older names), unknown keys are
// refused by name, the change is audited, and the list filter and the dashboard follow the profile.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runSteward, show, signedIn, startServer } from './harness.mjs';

let server;
let hq;
let project;

const useProfile = (preset) => {
  const r = runSteward(['rules', 'profile', '--db', server.dbUrl, '--region', '430424', '--preset', preset]);
  assert.equal(r.code, 0, r.stderr);
};
const get = async (id = project.id) => {
  const r = await hq.get(`/projects/${id}`);
  assert.equal(r.status, 200, show(r));
  return r.body;
};
const putTeam = (body) => hq.put(`/projects/${project.id}/team`, body);
const listed = async (missing) => {
  const r = await hq.get(`/projects?missing=${missing}&page_size=200`);
  assert.equal(r.status, 200, show(r));
  return { ids: r.body.items.map((p) => p.id), total: r.body.total };
};
const fieldsOf = (r) => r.body.error.fields.map((f) => `${f.field}:${f.reason}`);

before(async () => {
  server = await startServer();
  hq = await signedIn(server.url, 'hq');
  const r = await hq.post('/projects', { name: '清单测试项目', category: 'other' });
  assert.equal(r.status, 201, show(r));
  project = r.body;
});
after(async () => { await server?.stop(); });

test('under hengdong a project shows the five ones, fields as automatic items, and the old has_plan still ticks plan', async () => {
  useProfile('hengdong');
  let p = await get();
  assert.deepEqual(p.checklist.map((i) => i.key), ['project', 'leader', 'team', 'plan', 'schedule']);
  assert.deepEqual(p.checklist.map((i) => i.name), ['一个重点项目', '一名牵头领导', '一个工作专班', '一套工作方案', '一张时间进度表']);
  assert.deepEqual(p.checklist.map((i) => i.auto), [true, true, true, false, false]);
  assert.deepEqual(p.missing_ones, ['leader', 'team', 'plan', 'schedule']);
  assert.equal(p.checklist[0].done, true);

  const r = await putTeam({ has_plan: true });
  assert.equal(r.status, 200, show(r));
  p = await get();
  assert.equal(p.has_plan, true);
  assert.equal(p.checklist.find((i) => i.key === 'plan').done, true);
  assert.deepEqual(p.missing_ones, ['leader', 'team', 'schedule']);

  // An automatic item is not ticked by hand.
  const auto = await putTeam({ checks: { leader: true } });
  assert.equal(auto.status, 422, show(auto));
  assert.deepEqual(fieldsOf(auto), ['checks.leader:not_manual']);
});

test('under zhuxi the checklist is 时间表, 施工图, 任务书; ticking one changes missing_ones, the filter and the dashboard', async () => {
  useProfile('zhuxi');
  let p = await get();
  assert.deepEqual(p.checklist.map((i) => i.name), ['时间表', '施工图', '任务书']);
  assert.ok(p.checklist.every((i) => !i.auto));
  // The plan ticked under hengdong is not an item here.
  assert.deepEqual(p.missing_ones, ['schedule', 'drawing', 'task_book']);
  assert.ok((await listed('1')).ids.includes(project.id));
  assert.ok((await listed('drawing')).ids.includes(project.id));

  const r = await putTeam({ checks: { drawing: true } });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.missing_ones, ['schedule', 'task_book']);
  p = await get();
  assert.equal(p.checklist.find((i) => i.key === 'drawing').done, true);
  assert.ok(!(await listed('drawing')).ids.includes(project.id));
  assert.ok((await listed('task_book')).ids.includes(project.id));
  assert.ok((await listed('1')).ids.includes(project.id));

  const before = await listed('1');
  const done = await putTeam({ checks: { schedule: true, task_book: true } });
  assert.equal(done.status, 200, show(done));
  assert.deepEqual(done.body.missing_ones, []);
  const afterAll = await listed('1');
  assert.ok(!afterAll.ids.includes(project.id));
  assert.equal(afterAll.total, before.total - 1);
  const dash = await hq.get('/dashboard');
  assert.equal(dash.status, 200, show(dash));
  assert.equal(dash.body.projects.missing_ones, afterAll.total);

  // Unticking brings it back.
  const undo = await putTeam({ checks: { task_book: false } });
  assert.deepEqual(undo.body.missing_ones, ['task_book']);
  assert.ok((await listed('1')).ids.includes(project.id));
});

test('the tick is audited with before and after', async () => {
  const r = await hq.get(`/audit?entity=project&entity_id=${project.id}&page_size=50`);
  assert.equal(r.status, 200, show(r));
  const ticks = r.body.items.filter((e) => e.action === 'team' && e.after?.checks?.drawing !== undefined);
  assert.ok(ticks.length >= 1, show(r));
  const e = ticks[ticks.length - 1]; // the oldest: the 施工图 tick
  assert.equal(e.before.checks.drawing, false);
  assert.equal(e.after.checks.drawing, true);
});

test('keys the county checklist does not have are refused by name, and nothing is written', async () => {
  const before = await get();
  let r = await putTeam({ checks: { plan: true, drawing: false } });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['checks.plan:unknown_field']);
  r = await putTeam({ has_plan: true });
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(fieldsOf(r), ['has_plan:unknown_field']);
  // A wrong type is a 400, as for every field (service/errors.h).
  r = await putTeam({ checks: { drawing: 'yes' } });
  assert.equal(r.status, 400, show(r));
  assert.equal(r.body.error.fields[0].field, 'checks.drawing');
  r = await putTeam({ checks: ['drawing'] });
  assert.equal(r.status, 400, show(r));
  assert.equal(r.body.error.fields[0].field, 'checks');
  const now = await get();
  assert.deepEqual(now.checklist, before.checklist);
  assert.equal(now.version, before.version);
  // The list filter knows only the county's keys.
  const bad = await hq.get('/projects?missing=plan');
  assert.equal(bad.status, 422, show(bad));
  assert.equal(bad.body.error.fields[0].field, 'missing');
});

test('the form meta and GET /rules/profile give the checklist and its words', async () => {
  const m = await hq.get('/meta');
  assert.equal(m.status, 200, show(m));
  assert.deepEqual(m.body.missing_ones.map((i) => i.key), ['schedule', 'drawing', 'task_book']);
  const prof = await hq.get('/rules/profile');
  assert.equal(prof.status, 200, show(prof));
  assert.equal(prof.body.body.vocabulary.team, '专班');
});
