// The problem list's closed loop (问题清单) on the county's clock: raised, accepted, assigned (交办) to a lead unit
// and helpers, started, solved, rated and closed by the raiser; rejected back and solved again; the unsolvable
// plan with its monthly feedback; merge; escalation by the leading leader and automatically as days pass; the
// daily job's notices and the lights of a project with an overdue problem; enterprise demands' 48 hours; access.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { addOtherCounty, Client, runSteward, show, sqlExec, startServer } from './harness.mjs';
import { readWorkbook } from './xlsx.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-problems-'));
const clock = path.join(dir, 'now');
const testClock = ['--clock-file', clock, '--allow-test-clock'];
let server;
const as = {};
const names = ['hq', 'unit', 'unit2', 'liaison', 'leader', 'enterprise', 'viewer', 'inspector', 'city', 'admin'];
let project, unitId, unit2Id;

// 10:00 in the county on `day`; moving the clock idles sessions out, so everyone signs in again.
async function setDay(day, time = '02:00:00') {
  fs.writeFileSync(clock, `${day}T${time}Z\n`);
  for (const n of names) await as[n].login(n);
}

async function eventually(probe, what) {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, show(r));
  return r.body;
}
const raise = (who, over = {}) => ok(as[who].post('/problems', { title: '施工用电增容未落实', description: '需要110千伏专线', category: 'energy', project_id: project.id, ...over }), 201);
const step = (who, id, action, body = {}, status = 200) => ok(as[who].post(`/problems/${id}/${action}`, body), status);
async function assigned(over = {}) {
  const p = await raise('liaison', over);
  await step('hq', p.id, 'accept');
  return step('hq', p.id, 'assign', { lead_unit_id: unitId, helper_unit_ids: [unit2Id] });
}
async function rules(kind, edit) {
  const cur = await ok(as.hq.get(`/rules/${kind}`));
  const body = structuredClone(cur.body ?? cur);
  edit(body);
  const file = path.join(dir, `${kind}.json`);
  fs.writeFileSync(file, JSON.stringify(body));
  const r = runSteward(['rules', kind, '--db', server.dbUrl, '--region', '430424', '--file', file, ...testClock]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
}

before(async () => {
  fs.writeFileSync(clock, '2026-11-02T02:00:00Z\n'); // Monday 2 November 2026, 10:00 in the county
  server = await startServer({ extraArgs: [...testClock, '--remind-interval', '1'] });
  for (const n of names) as[n] = new Client(server.url);
  for (const n of names) assert.equal((await as[n].login(n)).status, 200, n);
  const me = async (c) => { const b = (await c.get('/auth/me')).body; return b.org_unit_id ?? b.user?.org_unit_id; };
  unitId = await me(as.unit);
  unit2Id = await me(as.unit2);
  assert.ok(unitId && unit2Id);
  const items = (await as.hq.get('/projects?page_size=200')).body.items;
  project = items.find((p) => p.unit_id === unitId && p.status === 'active');
  assert.ok(project);
  sqlExec(server.dbUrl, `UPDATE projects SET leader_id = (SELECT id FROM users WHERE username = 'leader') WHERE id = ${project.id}`);
  await ok(as.admin.post('/users', { username: 'countyhead', display_name: '县长甲', password: 'CountyHead#2026x', roles: ['leader'], rank: 'county_leader' }), 201);
  await rules('problems', (b) => {
    b.escalation = { ...b.escalation, holders: { executive_vice_head: 'leader', county_head: 'countyhead' } };
  });
});
after(async () => { await server?.stop(); });

test('the whole loop: raised, accepted, assigned, started, solved, rated and closed, on the timeline and audited', async () => {
  const p = await raise('liaison');
  assert.equal(p.status, 'raised');
  assert.equal(p.kind, 'problem');
  assert.equal(p.category_name, '用能');
  assert.equal(p.feedback_due, '2026-11-05', 'feedback within 3 days');
  const accepted = await step('hq', p.id, 'accept');
  assert.equal(accepted.status, 'accepted');
  const a = await step('hq', p.id, 'assign', { lead_unit_id: unitId, helper_unit_ids: [unit2Id], version: accepted.version });
  assert.equal(a.status, 'assigned');
  assert.equal(a.lead_unit.id, unitId);
  assert.deepEqual(a.units.map((u) => [u.id, u.role]), [[unitId, 'lead'], [unit2Id, 'helper']]);
  assert.equal(a.solve_due, '2026-11-09', 'an ordinary problem within 7 days of its assignment');
  // The lead and helper units hear of it; the helper sees it and may give feedback, but not start it.
  for (const who of ['unit', 'unit2']) {
    const inbox = await ok(as[who].get('/inbox?limit=50'));
    const msg = inbox.items.find((m) => /交办问题/.test(m.title) && m.title.includes(p.title));
    assert.ok(msg, `${who}: ${show({ body: inbox })}`);
    assert.equal(msg.link, `/problems/${p.id}`, 'the message names the problem it is about');
  }
  const seen = await ok(as.unit2.get(`/problems/${p.id}`));
  assert.deepEqual(seen.actions, []);
  const refused = await as.unit2.post(`/problems/${p.id}/start`, {});
  assert.equal(refused.status, 403, show(refused));
  assert.equal((await ok(as.unit.get(`/problems/${p.id}`))).actions.join(), 'start');
  await step('unit', p.id, 'start');
  await step('unit2', p.id, 'feedback', { note: '供电公司已现场踏勘' });
  const solved = await step('unit', p.id, 'solve', { note: '专线已接通' });
  assert.equal(solved.status, 'solved');
  assert.equal(solved.solution, '专线已接通');
  const inbox = await ok(as.liaison.get('/inbox?limit=50'));
  assert.ok(inbox.items.some((m) => /已办结/.test(m.title) && m.title.includes(p.title)));
  // Only the raiser rates; the rating is 1–5.
  assert.equal((await as.hq.post(`/problems/${p.id}/close`, { rating: 5 })).status, 403);
  const bad = await as.liaison.post(`/problems/${p.id}/close`, { rating: 6 });
  assert.equal(bad.status, 422, show(bad));
  const closed = await step('liaison', p.id, 'close', { rating: 5, comment: '很满意' });
  assert.equal(closed.status, 'closed');
  assert.equal(closed.rating, 5);
  assert.equal(closed.rating_comment, '很满意');
  const full = await ok(as.hq.get(`/problems/${p.id}`));
  assert.deepEqual(full.timeline.map((e) => e.action), ['raise', 'accept', 'assign', 'start', 'feedback', 'solve', 'close']);
  assert.deepEqual(full.timeline.map((e) => e.to), ['raised', 'accepted', 'assigned', 'in_progress', 'in_progress', 'solved', 'closed']);
  assert.equal(full.timeline[4].note, '供电公司已现场踏勘');
  assert.ok(full.timeline.every((e) => e.actor && e.at));
  const audit = await ok(as.admin.get(`/audit?entity=problem&entity_id=${p.id}`));
  const actions = audit.items.map((e) => e.action);
  for (const x of ['create', 'accept', 'assign', 'start', 'solve', 'close']) assert.ok(actions.includes(x), `${x} audited: ${actions}`);
});

test('rejection with a reason reopens the problem and tells the lead unit; illegal steps write nothing', async () => {
  const p = await assigned({ title: '排水管网未接入', category: 'water' });
  // Starting twice, or closing before it is solved: 409 with a Chinese message, nothing written.
  await step('unit', p.id, 'start');
  const before = await ok(as.hq.get(`/problems/${p.id}`));
  const again = await as.unit.post(`/problems/${p.id}/start`, {});
  assert.equal(again.status, 409, show(again));
  assert.equal(again.body.error.code, 'illegal_transition');
  assert.match(again.body.error.message, /[\u4e00-\u9fff]/);
  const early = await as.liaison.post(`/problems/${p.id}/close`, { rating: 3 });
  assert.equal(early.status, 409, show(early));
  const afterIllegal = await ok(as.hq.get(`/problems/${p.id}`));
  assert.equal(afterIllegal.version, before.version);
  assert.equal(afterIllegal.timeline.length, before.timeline.length);

  await step('unit', p.id, 'solve', { note: '已协调' });
  const noReason = await as.liaison.post(`/problems/${p.id}/reject`, {});
  assert.equal(noReason.status, 422, show(noReason));
  assert.deepEqual(noReason.body.error.fields.map((f) => f.field), ['note']);
  const rejected = await step('liaison', p.id, 'reject', { note: '专线仍未送电' });
  assert.equal(rejected.status, 'in_progress');
  const inbox = await ok(as.unit.get('/inbox?limit=50'));
  assert.ok(inbox.items.some((m) => /退回重办/.test(m.title) && m.title.includes(p.title)));
  await step('unit', p.id, 'solve', { note: '已送电' });
  const closed = await step('liaison', p.id, 'close', { rating: 4 });
  assert.equal(closed.status, 'closed');
  const stale = await as.hq.post(`/problems/${p.id}/merge`, { into: p.id, note: 'x' });
  assert.equal(stale.status, 409, show(stale));
});

test('a problem that cannot be solved now becomes a plan with monthly feedback', async () => {
  const p = await assigned({ title: '用地指标不足', category: 'land' });
  await step('unit', p.id, 'start');
  const none = await as.unit.post(`/problems/${p.id}/plan`, { note: '  ' });
  assert.equal(none.status, 422, show(none));
  const planned = await step('unit', p.id, 'plan', { note: '列入2027年度用地计划，每月反馈报批进展' });
  assert.equal(planned.status, 'planned');
  assert.equal(planned.plan, '列入2027年度用地计划，每月反馈报批进展');
  assert.equal(planned.next_feedback_due, '2026-12-02');
  assert.equal(planned.due, '2026-12-02');
  await setDay('2026-11-20');
  const fed = await step('unit2', p.id, 'feedback', { note: '已上报市局' });
  assert.equal(fed.status, 'planned');
  assert.equal(fed.last_feedback_on, '2026-11-20');
  assert.equal(fed.next_feedback_due, '2026-12-20');
  await setDay('2026-11-02');
});

test('headquarters merges a duplicate into another open problem', async () => {
  const a = await raise('liaison', { title: '道路未通' });
  const b = await raise('unit', { title: '进场道路未通（重复）' });
  const byUnit = await as.unit.post(`/problems/${b.id}/merge`, { into: a.id, note: '重复' });
  assert.equal(byUnit.status, 403, show(byUnit));
  const self = await as.hq.post(`/problems/${b.id}/merge`, { into: b.id, note: '重复' });
  assert.equal(self.status, 422, show(self));
  const m = await step('hq', b.id, 'merge', { into: a.id, note: '与另一问题重复' });
  assert.equal(m.status, 'merged');
  assert.equal(m.merged_into, a.id);
  const again = await as.hq.post(`/problems/${b.id}/accept`, {});
  assert.equal(again.status, 409, show(again));
});

test('the list finds words in a title or description, and "open" leaves out the closed and the merged', async () => {
  const a = await raise('liaison', { title: '搅拌站环评批复未下达', description: '影响混凝土供应（100%_自拌）' });
  const b = await raise('liaison', { title: '搅拌站用电未接入（重复）' });
  await step('hq', b.id, 'merge', { into: a.id, note: '重复' });
  const ids = async (query) => (await ok(as.hq.get(`/problems?page_size=200&${query}`))).items.map((x) => x.id);
  assert.deepEqual((await ids(`q=${encodeURIComponent('搅拌站')}`)).sort(), [a.id, b.id].sort());
  assert.deepEqual(await ids(`q=${encodeURIComponent('搅拌站')}&status=open`), [a.id]);
  assert.deepEqual(await ids(`q=${encodeURIComponent('100%_')}`), [a.id], 'LIKE wildcards are taken literally');
  const percent = await ids(`q=${encodeURIComponent('%')}`);
  assert.ok(percent.includes(a.id) && !percent.includes(b.id), 'a literal %');
  const open = await ok(as.hq.get('/problems?status=open&page_size=200'));
  assert.ok(open.items.every((x) => !['closed', 'merged'].includes(x.status)));
  const long = await as.hq.get(`/problems?q=${'问'.repeat(101)}`);
  assert.equal(long.status, 422, show(long));
  assert.deepEqual(long.body.error.fields, [{ field: 'q', reason: 'too_long' }]);
});

test('the leading leader escalates to the executive vice county head, who escalates to the county head', async () => {
  const p = await assigned({ title: '跨部门协调：管线迁改', category: 'other' });
  assert.equal((await as.unit.post(`/problems/${p.id}/escalate`, { note: '跨部门' })).status, 403);
  const e1 = await step('leader', p.id, 'escalate', { note: '涉及住建、交通、供电三个部门' });
  assert.equal(e1.escalation.level, 1);
  assert.equal(e1.escalation.key, 'executive_vice_head');
  assert.equal(e1.escalation.target.name, '王志刚');
  assert.equal(e1.status, 'assigned', 'escalation keeps the state');
  const head = new Client(server.url);
  await head.login('countyhead', 'CountyHead#2026x');
  assert.equal((await head.get(`/problems/${p.id}`)).status, 404, 'not yet the county head\'s');
  const e2 = await step('leader', p.id, 'escalate', { note: '常务副县长协调未果' });
  assert.equal(e2.escalation.level, 2);
  assert.equal(e2.escalation.target.name, '县长甲');
  const hInbox = await ok(head.get('/inbox?limit=50'));
  assert.ok(hInbox.items.some((m) => /提级至县长/.test(m.title)), show({ body: hInbox }));
  assert.equal((await head.get(`/problems/${p.id}`)).status, 200, 'the county head sees what was escalated to him');
  const top = await as.leader.post(`/problems/${p.id}/escalate`, { note: '再提' });
  assert.equal(top.status, 409, show(top));
});

test('as days pass the job warns of the deadline, then of the overdue problem, escalates it and lights the project', async () => {
  await rules('problems', (b) => { b.escalation = { ...b.escalation, auto_after: { amount: 3, unit: 'calendar_days' } }; });
  await rules('lights', (b) => { b.problems = { enabled: true, yellow: 1, red: 3 }; });
  await setDay('2026-11-02');
  const p = await assigned({ title: '环评批复滞后', category: 'environment' });
  assert.equal(p.solve_due, '2026-11-09');
  await step('unit', p.id, 'start');
  const mine = (who) => async () => {
    const r = await as[who].get('/inbox?limit=100');
    return r.status === 200 ? r.body.items.filter((m) => m.title.includes(p.title)) : [];
  };
  // 9 November (Monday) is the due day: near.
  await setDay('2026-11-09');
  await eventually(async () => (await mine('unit')()).some((m) => /临近期限/.test(m.title)), 'a deadline-near notice');
  // 10 November: overdue, to the lead unit and headquarters, once a day.
  await setDay('2026-11-10');
  await eventually(async () => (await mine('hq')()).some((m) => /已超期/.test(m.title)), 'an overdue notice');
  const overdue = await ok(as.hq.get('/problems?overdue=1&page_size=200'));
  assert.ok(overdue.items.some((x) => x.id === p.id && x.overdue && x.due_status === 'overdue'));
  const lights = await eventually(async () => {
    const r = await as.hq.get(`/projects/${project.id}/lights`);
    return r.status === 200 && (r.body.reasons || []).some((x) => x.dimension === 'problems') ? r.body : null;
  }, 'the problems reason on the project\'s light');
  const reason = lights.reasons.find((x) => x.dimension === 'problems');
  assert.ok(reason.value >= 1);
  assert.equal(reason.since, '2026-11-10');
  // Three days after the due day: automatically one level up.
  await setDay('2026-11-11');
  assert.equal((await ok(as.hq.get(`/problems/${p.id}`))).escalation.level, 0);
  await setDay('2026-11-12');
  const up = await eventually(async () => {
    const r = await ok(as.hq.get(`/problems/${p.id}`));
    return r.escalation.level === 1 ? r : null;
  }, 'automatic escalation');
  assert.equal(up.escalation.target.name, '王志刚');
  assert.ok(up.timeline.some((e) => e.action === 'escalate' && !e.actor && e.data.automatic));
  const overdueNotices = (await mine('unit')()).filter((m) => /已超期/.test(m.title));
  const days = new Set(overdueNotices.map((m) => m.created_at.slice(0, 10)));
  assert.equal(overdueNotices.length, days.size, 'one overdue notice a day');
  await setDay('2026-11-02');
});

test('an enterprise demand runs on a 48-hour clock', async () => {
  await setDay('2026-11-02');
  const d = await ok(as.enterprise.post('/problems', { title: '申请协调天然气接入', category: 'energy' }), 201);
  assert.equal(d.kind, 'demand');
  assert.equal(d.source, 'enterprise');
  assert.equal(d.demand.window_hours, 48);
  assert.equal(d.demand.hours_left, 48);
  assert.equal(d.demand.overdue, false);
  const notDemand = await as.enterprise.post('/problems', { title: 'x', kind: 'problem' });
  assert.equal(notDemand.status, 422, show(notDemand));
  await setDay('2026-11-04', '03:00:00');
  const late = await ok(as.enterprise.get(`/problems/${d.id}`));
  assert.equal(late.demand.hours_left, -1);
  assert.equal(late.demand.overdue, true);
  // The reply letter exists once the demand is answered (solved).
  const early = await as.enterprise.get(`/problems/${d.id}/reply.pdf`);
  assert.equal(early.status, 409, show(early));
  await step('hq', d.id, 'accept');
  await step('hq', d.id, 'assign', { lead_unit_id: unitId });
  await step('unit', d.id, 'start');
  const answered = await step('unit', d.id, 'solve', { note: '已协调燃气公司，11月10日前接通' });
  assert.equal(answered.demand.overdue, true, 'answered late');
  assert.equal(answered.demand.hours_left, null);
  const pdf = await as.enterprise.get(`/problems/${d.id}/reply.pdf`);
  assert.equal(pdf.status, 200, show(pdf));
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.raw.subarray(0, 5).toString(), '%PDF-');
  const docx = await as.hq.get(`/problems/${d.id}/reply.docx`);
  assert.equal(docx.status, 200);
  assert.equal(docx.raw.subarray(0, 2).toString(), 'PK');
  assert.equal((await as.unit2.get(`/problems/${d.id}/reply.pdf`)).status, 404, 'not unit2\'s');
  // One answered within the window.
  const quick = await ok(as.hq.post('/problems', { title: '代企业登记：办理施工许可', kind: 'demand', category: 'approval' }), 201);
  assert.equal(quick.kind, 'demand');
  await step('hq', quick.id, 'accept');
  await step('hq', quick.id, 'assign', { lead_unit_id: unitId });
  await step('unit', quick.id, 'start');
  const inTime = await step('unit', quick.id, 'solve', { note: '已办结' });
  assert.equal(inTime.demand.overdue, false);
  const notDemandReply = await as.hq.get(`/problems/${(await raise('liaison', { title: '非诉求' })).id}/reply.pdf`);
  assert.equal(notDemandReply.status, 404);
  await setDay('2026-11-02');
});

test('access: a unit sees what it raised, leads or helps; others 404; the city reads; other counties 404', async () => {
  const mineOnly = await raise('unit2', { title: '交通局自己的问题', project_id: undefined });
  const other = await raise('liaison', { title: '与交通局无关' });
  assert.equal((await as.unit2.get(`/problems/${other.id}`)).status, 404);
  assert.equal((await as.unit2.get(`/problems/${mineOnly.id}`)).status, 200);
  const list = await ok(as.unit2.get('/problems?page_size=200'));
  assert.ok(list.items.some((x) => x.id === mineOnly.id));
  assert.ok(!list.items.some((x) => x.id === other.id));
  const mine = await ok(as.unit2.get('/problems?mine=1&page_size=200'));
  assert.ok(mine.items.every((x) => x.raiser.name && x.id !== other.id));
  const myUnit = await ok(as.unit2.get('/problems?my_unit=1&page_size=200'));
  assert.ok(myUnit.items.length >= 1 && myUnit.items.every((x) => x.units.some((u) => u.id === unit2Id)));
  // The enterprise sees only its own.
  const ent = await ok(as.enterprise.get('/problems?page_size=200'));
  assert.ok(ent.items.length >= 1 && ent.items.every((x) => x.kind === 'demand'));
  // Viewer, inspector and the city read; none of them acts.
  for (const who of ['viewer', 'inspector', 'city']) {
    assert.equal((await as[who].get(`/problems/${other.id}`)).status, 200, who);
    assert.equal((await as[who].post(`/problems/${other.id}/accept`, {})).status, 403, who);
  }
  assert.equal((await as.viewer.post('/problems', { title: '只读用户' })).status, 403);
  assert.equal((await as.city.post('/problems', { title: '市级用户' })).status, 403);
  // Another county: 404 for the problem, and its list is empty of ours.
  const other2 = addOtherCounty(server.dbUrl);
  const qd = new Client(server.url);
  assert.equal((await qd.login(other2.username, other2.password)).status, 200);
  assert.equal((await qd.get(`/problems/${other.id}`)).status, 404);
  assert.equal((await qd.post(`/problems/${other.id}/accept`, {})).status, 404);
  assert.equal((await ok(qd.get('/problems'))).total, 0);
});

test('figures by lead unit and category, and the same as xlsx; a unit may not read them', async () => {
  const f = await ok(as.hq.get('/problems/figures'));
  const u = f.by_unit.find((r) => r.unit?.id === unitId);
  assert.ok(u, show({ body: f }));
  // The unit led: the whole loop (closed, 5), the rejected one (closed, 4), the plan, the escalated ones, the
  // overdue one; solved ones rated 5 and 4.
  const led = (await ok(as.hq.get(`/problems?unit_id=${unitId}&page_size=200`))).items
    .filter((x) => x.lead_unit?.id === unitId && x.status !== 'merged');
  const solved = led.filter((x) => ['solved', 'closed'].includes(x.status));
  const dayOf = (ts) => new Date(Date.parse(ts) + 8 * 3600_000).toISOString().slice(0, 10);
  const days = solved.reduce((n, x) => n + (Date.parse(dayOf(x.solved_at)) - Date.parse(x.raised_on)) / 86400_000, 0);
  assert.equal(u.raised, led.length, JSON.stringify(u));
  assert.equal(u.solved, solved.length);
  assert.ok(u.solved >= 4 && days >= 2, 'two problems closed the day they were raised, two demands, one two days late');
  assert.equal(u.solving_rate_bp, Math.round((solved.length * 10000) / led.length));
  assert.equal(u.avg_days_to_solve, Math.round((days / solved.length) * 10) / 10);
  assert.equal(u.avg_rating, 4.5);
  assert.equal(u.rated, 2);
  assert.equal(u.overdue, led.filter((x) => x.overdue).length);
  const energy = f.by_category.find((r) => r.category === 'energy');
  assert.equal(energy.name, '用能');
  assert.ok(energy.raised >= 2);
  const merged = f.total.raised;
  const all = await ok(as.hq.get('/problems?page_size=200'));
  assert.equal(merged, all.items.filter((x) => x.status !== 'merged').length, 'merged problems are not counted');
  assert.equal((await as.unit.get('/problems/figures')).status, 403);
  assert.equal((await as.hq.get('/problems/figures?kind=bogus')).status, 422);
  const demands = await ok(as.hq.get('/problems/figures?kind=demand'));
  assert.equal(demands.total.raised, all.items.filter((x) => x.kind === 'demand').length);

  const x = await as.hq.get('/problems/figures.xlsx');
  assert.equal(x.status, 200, show(x));
  const wb = readWorkbook(x.raw);
  assert.equal(wb.sheets.length, 2);
  const rows = wb.sheets[0].rows;
  assert.match(rows[0][0], /问题办理情况统计/);
  assert.deepEqual(rows[1], ['牵头单位', '提出', '已办结', '办结率（%）', '平均办结天数', '超期', '平均满意度',
    '企业诉求', '48小时内答复', '超时答复', '超时未答复', '平均答复小时']);
  const line = rows.find((r) => r[0] === u.unit.name);
  assert.equal(Number(line[1]), u.raised);
  assert.equal(Number(line[2]), solved.length);
  assert.equal(Number(line[6]), 4.5);
  assert.equal(rows.at(-1)[0], '合计');
  assert.equal(Number(rows.at(-1)[1]), f.total.raised);
  assert.equal(wb.sheets[1].rows[1][0], '问题类别');
});
