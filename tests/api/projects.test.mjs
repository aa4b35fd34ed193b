// The project library (issue "project library"): CRUD with optimistic versions, validation, the stage gate,
// status changes, team/plan/nodes, list filters and paging, access rules and history.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addOtherCounty, show, signedIn, startServer } from './harness.mjs';
import { createProject, creditCode, fullInput, getProject, patchCurrent, projectCode, sortedIds, team } from './fixtures.mjs';

let server;
const as = {};
let meta;
let townships;
let unitOrg;
let unit2Org;
let ctx;
let other;

before(async () => {
  server = await startServer();
  other = addOtherCounty(server.dbUrl);
  for (const u of ['admin', 'hq', 'unit', 'unit2', 'leader', 'inspector', 'viewer', 'city', 'liaison']) {
    as[u] = await signedIn(server.url, u);
  }
  as.qd = await signedIn(server.url, other.username, other.password);
  const m = await as.hq.get('/meta');
  assert.equal(m.status, 200, show(m));
  meta = m.body;
  const t = await as.hq.get('/org-units?kind=township');
  assert.equal(t.status, 200, show(t));
  townships = t.body.items;
  assert.ok(townships.length >= 2, 'demo has townships');
  unitOrg = as.unit.user.org_unit_id;
  unit2Org = as.unit2.user.org_unit_id;
  assert.ok(unitOrg && unit2Org && unitOrg !== unit2Org);
  ctx = { townshipId: townships[0].id, meta };
});
after(async () => { await server?.stop(); });

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
let p1; // the project of the CRUD tests

test('hq creates a project with every field; GET returns the same', async () => {
  const input = fullInput(1, ctx);
  const r = await as.hq.post('/projects', input);
  assert.equal(r.status, 201, show(r));
  p1 = r.body;
  assert.ok(Number.isInteger(p1.id));
  for (const k of ['name', 'code', 'category', 'industry', 'chain', 'enterprise_name', 'enterprise_credit_code', 'township_id',
    'address', 'total_investment', 'signed_date', 'planned_start', 'actual_start', 'planned_completion', 'actual_completion',
    'production_date', 'content']) {
    assert.deepEqual(p1[k], input[k], `field ${k}`);
  }
  assert.ok(Math.abs(p1.lng - input.lng) < 1e-6 && Math.abs(p1.lat - input.lat) < 1e-6, 'coordinates');
  assert.deepEqual([...p1.levels].sort(), [...input.levels].sort());
  assert.deepEqual(p1.funding, input.funding);
  assert.ok(Number.isInteger(p1.total_investment), 'money is an integer number of yuan');
  assert.equal(p1.township_name, townships[0].name);
  assert.equal(p1.region_code, '430424');
  assert.equal(p1.stage, 'planning');
  assert.equal(p1.stage_name, '策划包装');
  assert.equal(p1.status, 'active');
  assert.ok(Number.isInteger(p1.version));
  assert.match(p1.created_at, TIMESTAMP);
  assert.match(p1.updated_at, TIMESTAMP);
  assert.deepEqual([...p1.missing_ones].sort(), ['leader', 'plan', 'schedule', 'team', 'unit']);
  assert.equal(p1.leader_id, null);
  assert.equal(p1.unit_id, null);
  assert.deepEqual(p1.team, []);
  const { can_edit: _ignored, ...got } = await getProject(as.hq, p1.id); // can_edit is per caller, not data
  const { can_edit: _ignored2, ...posted } = p1;
  assert.deepEqual(got, posted, 'GET returns what POST returned');
});

test('a minimal project needs only name and category; money defaults to 0', async () => {
  const r = await as.hq.post('/projects', { name: '玄鸟最小项目', category: 'other' });
  assert.equal(r.status, 201, show(r));
  assert.equal(r.body.total_investment, 0);
  assert.equal(r.body.code, '');
  assert.deepEqual(r.body.levels, []);
  assert.deepEqual(r.body.funding, { central_budget: 0, special_bonds: 0, self_raised: 0, bank_loans: 0, other: 0 });
});

test('PATCH with the current version changes only the given fields and bumps the version', async () => {
  const r = await as.hq.patch(`/projects/${p1.id}`, { name: '玄鸟测试项目1（改）', total_investment: 360_000_000, version: p1.version });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.name, '玄鸟测试项目1（改）');
  assert.equal(r.body.total_investment, 360_000_000);
  assert.equal(r.body.code, p1.code, 'untouched field kept');
  assert.deepEqual(r.body.funding, p1.funding);
  assert.ok(r.body.version > p1.version, 'version bumped');
  assert.ok(r.body.updated_at >= p1.updated_at);
  assert.equal(r.body.created_at, p1.created_at);
  p1 = r.body;
});

test('PATCH with a stale version is 409 conflict and changes nothing', async () => {
  const r = await as.hq.patch(`/projects/${p1.id}`, { name: '过期版本', version: p1.version - 1 });
  assert.equal(r.status, 409, show(r));
  assert.equal(r.body.error.code, 'conflict');
  const now = await getProject(as.hq, p1.id);
  assert.equal(now.name, '玄鸟测试项目1（改）');
  assert.equal(now.version, p1.version);
});

test('PATCH can clear a date with null', async () => {
  const r = await as.hq.patch(`/projects/${p1.id}`, { signed_date: null, version: p1.version });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.signed_date, null);
  p1 = r.body;
});

test('GET of a project that does not exist is 404', async () => {
  const r = await as.hq.get('/projects/987654321');
  assert.equal(r.status, 404, show(r));
  assert.equal(r.body.error.code, 'not_found');
});

test('validation: each bad field is 422 naming it, and nothing is created', async () => {
  const before = (await as.hq.get('/projects?q=玄鸟坏')).body.total;
  const cases = [
    [{ enterprise_credit_code: '12345' }, 'enterprise_credit_code'],
    [{ enterprise_credit_code: '91430424MA4L1JX7YI' }, 'enterprise_credit_code'], // I is not in the alphabet
    [{ code: 'not-a-code' }, 'code'],
    [{ total_investment: -1 }, 'total_investment'],
    [{ funding: { central_budget: -5, special_bonds: 0, self_raised: 0, bank_loans: 0, other: 0 } }, 'funding'],
    [{ name: '' }, 'name'],
    [{ category: 'spaceport' }, 'category'],
    [{ levels: ['galaxy'] }, 'levels'],
    [{ planned_start: '2026-02-30' }, 'planned_start'],
    [{ planned_start: '2026/03/01' }, 'planned_start'],
    [{ township_id: 987654321 }, 'township_id'],
  ];
  for (const [over, field] of cases) {
    const r = await as.hq.post('/projects', fullInput(90, ctx, { name: over.name ?? '玄鸟坏项目', ...over }));
    assert.equal(r.status, 422, `${JSON.stringify(over)}: ${show(r)}`);
    assert.equal(r.body.error.code, 'validation_failed');
    assert.ok(r.body.error.fields.some((f) => f.field === field || f.field.startsWith(field + '.')), `${JSON.stringify(over)} names ${field}: ${show(r)}`);
  }
  const fl = await as.hq.post('/projects', fullInput(91, ctx, { name: '玄鸟坏项目', total_investment: 1.5 }));
  assert.ok([400, 422].includes(fl.status), `money as a float is refused: ${show(fl)}`);
  const patch = await as.hq.patch(`/projects/${p1.id}`, { enterprise_credit_code: 'bad', version: p1.version });
  assert.equal(patch.status, 422, show(patch));
  assert.ok(patch.body.error.fields.some((f) => f.field === 'enterprise_credit_code'));
  assert.equal((await as.hq.get('/projects?q=玄鸟坏')).body.total, before, 'no project created by a refused request');
  assert.equal((await getProject(as.hq, p1.id)).enterprise_credit_code, p1.enterprise_credit_code);
});

test('stage gate: construction without actual_start is 409 naming actual_start; with it the stage changes', async () => {
  const construction = meta.stages.find((s) => s.key === 'construction');
  assert.ok(construction.requires.includes('actual_start'), `construction requires actual_start: ${JSON.stringify(construction)}`);
  const p = await createProject(as.hq, fullInput(2, ctx));
  const fail = await as.hq.post(`/projects/${p.id}/stage`, { stage: 'construction', date: '2026-03-15', note: '开工' });
  assert.equal(fail.status, 409, show(fail));
  assert.equal(fail.body.error.code, 'conflict');
  assert.ok(fail.body.error.fields.some((f) => f.field === 'actual_start'), show(fail));
  assert.equal((await getProject(as.hq, p.id)).stage, 'planning', 'stage unchanged after a failed gate');

  const set = await patchCurrent(as.hq, as.hq, p.id, { actual_start: '2026-03-15' });
  assert.equal(set.status, 200, show(set));
  const ok = await as.hq.post(`/projects/${p.id}/stage`, { stage: 'construction', date: '2026-03-15', note: '开工' });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.stage, 'construction');
  assert.equal(ok.body.stage_name, '落地开工');
  assert.ok(ok.body.version > set.body.version);

  const bad = await as.hq.post(`/projects/${p.id}/stage`, { stage: 'flying', date: '2026-03-16' });
  assert.equal(bad.status, 422, show(bad));
  assert.ok(bad.body.error.fields.some((f) => f.field === 'stage'));
});

test('status: suspending needs a reason; reactivating does not', async () => {
  const p = await createProject(as.hq, fullInput(3, ctx));
  const noReason = await as.hq.post(`/projects/${p.id}/status`, { status: 'suspended' });
  assert.equal(noReason.status, 422, show(noReason));
  assert.ok(noReason.body.error.fields.some((f) => f.field === 'reason'), show(noReason));
  assert.equal((await getProject(as.hq, p.id)).status, 'active');
  const blank = await as.hq.post(`/projects/${p.id}/status`, { status: 'cancelled', reason: '   ' });
  assert.equal(blank.status, 422, `a blank reason is no reason: ${show(blank)}`);
  const ok = await as.hq.post(`/projects/${p.id}/status`, { status: 'suspended', reason: '企业资金链紧张，暂缓' });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.status, 'suspended');
  assert.equal(ok.body.status_reason, '企业资金链紧张，暂缓');
  const susp = await as.hq.get('/projects?q=玄鸟测试项目3&status=suspended');
  assert.deepEqual(sortedIds(susp.body.items), [p.id]);
  const back = await as.hq.post(`/projects/${p.id}/status`, { status: 'active' });
  assert.equal(back.status, 200, show(back));
  assert.equal(back.body.status, 'active');
  const bad = await as.hq.post(`/projects/${p.id}/status`, { status: 'paused', reason: 'x' });
  assert.equal(bad.status, 422, show(bad));
});

test('team, plan and nodes: the five ones fill up', async () => {
  const p = await createProject(as.hq, fullInput(4, ctx));
  const t = await as.hq.put(`/projects/${p.id}/team`, team({
    leader_id: as.leader.user.id, unit_id: unitOrg, steward_id: as.hq.user.id, inspector_id: as.inspector.user.id,
    liaison_id: as.liaison.user.id, team: [as.unit.user.id, as.liaison.user.id],
    levels_3456: { county_leader: as.leader.user.id }, has_plan: true, has_schedule: true,
  }));
  assert.equal(t.status, 200, show(t));
  assert.equal(t.body.leader_id, as.leader.user.id);
  assert.equal(t.body.leader_name, as.leader.user.display_name);
  assert.equal(t.body.unit_id, unitOrg);
  assert.equal(t.body.unit_name, '县工业和信息化局');
  assert.equal(t.body.liaison_name, as.liaison.user.display_name);
  assert.deepEqual(t.body.team.map((m) => m.id).sort((a, b) => a - b), [as.unit.user.id, as.liaison.user.id].sort((a, b) => a - b));
  assert.equal(t.body.has_plan, true);
  assert.deepEqual(t.body.missing_ones, []);

  const badTeam = await as.hq.put(`/projects/${p.id}/team`, team({ leader_id: 987654321 }));
  assert.equal(badTeam.status, 422, `unknown leader: ${show(badTeam)}`);

  const wrongSum = await as.hq.put(`/projects/${p.id}/plan`, { year: 2026, annual: 120_000_000, months: Array(12).fill(9_000_000) });
  assert.equal(wrongSum.status, 422, show(wrongSum));
  assert.ok(wrongSum.body.error.fields.some((f) => ['months', 'annual'].includes(f.field)), show(wrongSum));
  const months = [0, 0, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 15_000_000, 15_000_000, 15_000_000, 15_000_000];
  const plan = await as.hq.put(`/projects/${p.id}/plan`, { year: 2026, annual: 120_000_000, months });
  assert.equal(plan.status, 200, show(plan));
  assert.deepEqual(plan.body.plan, { year: 2026, annual: 120_000_000, months });

  const key = meta.node_templates?.[0]?.key ?? 'land';
  const nodes = await as.hq.put(`/projects/${p.id}/nodes`, { nodes: [
    { key, name: '土地摘牌', planned_date: '2026-04-01', actual_date: null, unit_id: null, note: '' },
    { key: 'custom_1', name: '环评批复', planned_date: '2026-05-01', actual_date: '2026-04-28', unit_id: null, note: '提前完成' },
  ] });
  assert.equal(nodes.status, 200, show(nodes));
  assert.deepEqual(nodes.body.nodes.map((n) => [n.name, n.planned_date, n.actual_date]),
    [['土地摘牌', '2026-04-01', null], ['环评批复', '2026-05-01', '2026-04-28']]);
  assert.deepEqual((await getProject(as.hq, p.id)).nodes, nodes.body.nodes);
});

// ---------- lists ----------
const F = {}; // the 鲲鹏 projects of the filter tests

test('list filters combine with q and return exactly the matching projects', async () => {
  const [t1, t2] = [townships[0].id, townships[1].id];
  F.a = await createProject(as.hq, fullInput(11, ctx, { name: '鲲鹏新材料产业园', category: 'industrial', levels: ['province', 'county'],
    township_id: t1, total_investment: 100_000_000, planned_start: '2026-05-01', enterprise_name: '衡东鲲鹏新材料有限公司' }));
  F.b = await createProject(as.hq, fullInput(12, ctx, { name: '鲲鹏物流枢纽', category: 'infrastructure', levels: ['city'],
    township_id: t2, total_investment: 500_000_000, planned_start: '2026-02-01', actual_start: '2026-02-10', enterprise_name: '衡东物流集团' }));
  F.c = await createProject(as.hq, fullInput(13, ctx, { name: '鲲鹏乡村振兴示范园', category: 'agriculture', levels: ['county'],
    township_id: t1, total_investment: 20_000_000, planned_start: '2026-09-01', enterprise_name: '鸿鹄之志农业开发有限公司' }));
  F.d = await createProject(as.hq, fullInput(14, ctx, { name: '鲲鹏康养中心', category: 'social', levels: [],
    township_id: t2, total_investment: 80_000_000, planned_start: null, enterprise_name: '衡东康养投资有限公司' }));
  const put = async (p, body) => { const r = await as.hq.put(`/projects/${p.id}/team`, team(body)); assert.equal(r.status, 200, show(r)); };
  await put(F.a, { leader_id: as.leader.user.id, unit_id: unitOrg, team: [as.unit.user.id], has_plan: true, has_schedule: true });
  await put(F.b, { unit_id: unit2Org });
  await put(F.d, { leader_id: as.leader.user.id, unit_id: unitOrg, team: [as.unit.user.id], has_plan: false, has_schedule: true });
  const st = await as.hq.post(`/projects/${F.b.id}/stage`, { stage: 'construction', date: '2026-02-10', note: '' });
  assert.equal(st.status, 200, show(st));

  const ids = async (query) => {
    const r = await as.hq.get(`/projects?q=${encodeURIComponent('鲲鹏')}&page_size=200&${query}`);
    assert.equal(r.status, 200, `${query}: ${show(r)}`);
    assert.equal(r.body.total, r.body.items.length, query);
    return sortedIds(r.body.items);
  };
  const want = (...ps) => sortedIds(ps);
  assert.deepEqual(await ids(''), want(F.a, F.b, F.c, F.d), 'q over names');
  assert.deepEqual(await ids('stage=construction'), want(F.b));
  assert.deepEqual(await ids('stage=planning'), want(F.a, F.c, F.d));
  assert.deepEqual(await ids('level=province'), want(F.a));
  assert.deepEqual(await ids('level=county'), want(F.a, F.c));
  assert.deepEqual(await ids('level=city'), want(F.b));
  assert.deepEqual(await ids('category=infrastructure'), want(F.b));
  assert.deepEqual(await ids(`township_id=${t1}`), want(F.a, F.c));
  assert.deepEqual(await ids(`township_id=${t2}`), want(F.b, F.d));
  assert.deepEqual(await ids(`unit_id=${unitOrg}`), want(F.a, F.d));
  assert.deepEqual(await ids(`unit_id=${unit2Org}`), want(F.b));
  assert.deepEqual(await ids(`leader_id=${as.leader.user.id}`), want(F.a, F.d));
  assert.deepEqual(await ids('missing=1'), want(F.b, F.c, F.d));
  assert.deepEqual(await ids('missing=plan'), want(F.b, F.c, F.d));
  assert.deepEqual(await ids('missing=leader'), want(F.b, F.c));
  assert.deepEqual(await ids('stage=planning&level=county'), want(F.a, F.c), 'filters combine with AND');
  assert.deepEqual(await ids('status=active'), want(F.a, F.b, F.c, F.d));
});

test('q searches names, enterprise names and codes, in Chinese', async () => {
  const q = async (s) => {
    const r = await as.hq.get(`/projects?q=${encodeURIComponent(s)}&page_size=200`);
    assert.equal(r.status, 200, show(r));
    return sortedIds(r.body.items);
  };
  assert.deepEqual(await q('鸿鹄之志'), [F.c.id], 'enterprise name');
  assert.deepEqual(await q('物流枢纽'), [F.b.id], 'part of a name');
  assert.deepEqual(await q(projectCode(11)), [F.a.id], 'code');
  assert.deepEqual(await q('鲲鹏新材料'), [F.a.id], 'name and enterprise both match once');
  assert.deepEqual(await q('不存在的项目名称'), []);
});

test('sort and paging: totals, pages and order', async () => {
  const list = async (query) => {
    const r = await as.hq.get(`/projects?q=${encodeURIComponent('鲲鹏')}&${query}`);
    assert.equal(r.status, 200, `${query}: ${show(r)}`);
    return r.body;
  };
  const desc = await list('sort=total_investment&order=desc&page_size=200');
  assert.deepEqual(desc.items.map((x) => x.id), [F.b.id, F.a.id, F.d.id, F.c.id]);
  assert.deepEqual(desc.items.map((x) => x.total_investment), [500_000_000, 100_000_000, 80_000_000, 20_000_000], 'summaries carry total_investment');
  for (const it of desc.items) assert.ok(typeof it.name === 'string' && typeof it.stage === 'string', 'summaries carry name and stage');
  const asc = await list('sort=total_investment&order=asc&page_size=200');
  assert.deepEqual(asc.items.map((x) => x.id), [F.c.id, F.d.id, F.a.id, F.b.id]);
  const byStart = (await list('sort=planned_start&order=asc&page_size=200')).items.map((x) => x.id).filter((id) => id !== F.d.id);
  assert.deepEqual(byStart, [F.b.id, F.a.id, F.c.id], 'planned_start order (the undated one anywhere)');
  const p1l = await list('sort=total_investment&order=desc&page=1&page_size=3');
  assert.deepEqual({ total: p1l.total, page: p1l.page, page_size: p1l.page_size, n: p1l.items.length }, { total: 4, page: 1, page_size: 3, n: 3 });
  const p2l = await list('sort=total_investment&order=desc&page=2&page_size=3');
  assert.deepEqual({ total: p2l.total, page: p2l.page, ids: p2l.items.map((x) => x.id) }, { total: 4, page: 2, ids: [F.c.id] });
  const p3l = await list('sort=total_investment&order=desc&page=3&page_size=3');
  assert.deepEqual({ total: p3l.total, n: p3l.items.length }, { total: 4, n: 0 });
  const bad = await as.hq.get('/projects?sort=drop_table');
  assert.equal(bad.status, 422, `unknown sort key: ${show(bad)}`);
});

// ---------- access ----------
test('hq edits any project of its region; a unit user only its own unit\'s', async () => {
  const hqEdit = await patchCurrent(as.hq, as.hq, F.b.id, { content: '总指挥部修改' });
  assert.equal(hqEdit.status, 200, show(hqEdit));
  const own = await patchCurrent(as.unit, as.hq, F.a.id, { content: '工信局更新建设内容' });
  assert.equal(own.status, 200, `unit edits its own unit's project: ${show(own)}`);
  assert.equal(own.body.content, '工信局更新建设内容');

  const historyBefore = (await as.hq.get(`/projects/${F.b.id}/history`)).body.items.length;
  const foreign = await patchCurrent(as.unit, as.hq, F.b.id, { content: '越权修改' });
  assert.equal(foreign.status, 403, show(foreign));
  assert.equal(foreign.body.error.code, 'forbidden');
  const unassigned = await patchCurrent(as.unit, as.hq, F.c.id, { content: '越权修改' });
  assert.equal(unassigned.status, 403, show(unassigned));
  for (const [m, path, body] of [
    ['post', `/projects/${F.b.id}/status`, { status: 'suspended', reason: '越权' }],
    ['put', `/projects/${F.b.id}/team`, team({ unit_id: unitOrg })],
    ['put', `/projects/${F.b.id}/plan`, { year: 2026, annual: 0, months: Array(12).fill(0) }],
    ['post', `/projects/${F.b.id}/stage`, { stage: 'review', date: '2026-06-01' }],
  ]) {
    const r = await as.unit[m](path, body);
    assert.equal(r.status, 403, `${m} ${path}: ${show(r)}`);
  }
  const b = await getProject(as.hq, F.b.id);
  assert.equal(b.content, '总指挥部修改');
  assert.equal(b.status, 'active');
  assert.equal(b.unit_id, unit2Org);
  assert.equal(b.stage, 'construction');
  assert.equal((await as.hq.get(`/projects/${F.b.id}/history`)).body.items.length, historyBefore, 'refused requests leave no history');
  const u2 = await patchCurrent(as.unit2, as.hq, F.b.id, { content: '交通局更新' });
  assert.equal(u2.status, 200, show(u2));
});

test('leader, inspector and viewer read projects but cannot write', async () => {
  for (const who of ['leader', 'inspector', 'viewer']) {
    const g = await as[who].get(`/projects/${F.a.id}`);
    assert.equal(g.status, 200, `${who} reads: ${show(g)}`);
    const l = await as[who].get(`/projects?q=${encodeURIComponent('鲲鹏')}`);
    assert.equal(l.body.total, 4, who);
    const w = await patchCurrent(as[who], as.hq, F.a.id, { content: `${who} 修改` });
    assert.equal(w.status, 403, `${who} PATCH: ${show(w)}`);
    const c = await as[who].post('/projects', fullInput(60, ctx, { name: `鲲鹏${who}新建` }));
    assert.equal(c.status, 403, `${who} POST: ${show(c)}`);
    const s = await as[who].post(`/projects/${F.a.id}/status`, { status: 'suspended', reason: 'x' });
    assert.equal(s.status, 403, `${who} status: ${show(s)}`);
  }
  assert.equal((await getProject(as.hq, F.a.id)).content, '工信局更新建设内容');
  assert.equal((await as.hq.get(`/projects?q=${encodeURIComponent('鲲鹏')}`)).body.total, 4);
});

test('another county neither sees nor touches Hengdong\'s projects; the city sees both', async () => {
  const none = await as.qd.get(`/projects?q=${encodeURIComponent('鲲鹏')}`);
  assert.equal(none.status, 200, show(none));
  assert.equal(none.body.total, 0);
  const g = await as.qd.get(`/projects/${F.a.id}`);
  assert.equal(g.status, 404, show(g));
  const w = await as.qd.patch(`/projects/${F.a.id}`, { name: '祁东改', version: 1 });
  assert.equal(w.status, 404, show(w));
  assert.equal((await as.qd.get(`/projects/${F.a.id}/history`)).status, 404);

  const qdp = await as.qd.post('/projects', { name: '鲲鹏祁东项目', category: 'industrial', total_investment: 1_000_000 });
  assert.equal(qdp.status, 201, show(qdp));
  assert.equal(qdp.body.region_code, '430426');
  assert.equal((await as.hq.get(`/projects?q=${encodeURIComponent('鲲鹏')}`)).body.total, 4, 'Hengdong does not see Qidong\'s');
  assert.equal((await as.hq.get(`/projects/${qdp.body.id}`)).status, 404);

  const city = await as.city.get(`/projects?q=${encodeURIComponent('鲲鹏')}&page_size=200`);
  assert.equal(city.status, 200, show(city));
  assert.deepEqual(sortedIds(city.body.items), sortedIds([F.a, F.b, F.c, F.d, qdp.body]));
  assert.equal((await as.city.get(`/projects/${F.a.id}`)).status, 200);
  const cw = await patchCurrent(as.city, as.hq, F.a.id, { content: '市级修改' });
  assert.equal(cw.status, 403, show(cw));
});

test('each change is in /projects/{id}/history with actor and before/after', async () => {
  const r = await as.hq.get(`/projects/${F.a.id}/history`);
  assert.equal(r.status, 200, show(r));
  const items = r.body.items;
  assert.ok(items.length >= 3, `create, team, unit edit: ${items.length}`);
  for (const it of items) {
    assert.equal(it.entity, 'project');
    assert.equal(String(it.entity_id), String(F.a.id));
    assert.match(it.at, TIMESTAMP);
    assert.ok(it.actor_name);
  }
  const create = items.find((x) => x.before === null);
  assert.ok(create, 'the creation');
  assert.equal(create.after.name, '鲲鹏新材料产业园');
  const unitEdit = items.find((x) => x.actor_id === as.unit.user.id);
  assert.ok(unitEdit, 'the unit user\'s edit');
  assert.equal(unitEdit.after.content, '工信局更新建设内容');
  assert.notEqual(unitEdit.before.content, '工信局更新建设内容');
  const teamChange = items.find((x) => x.after && x.after.leader_id === as.leader.user.id && (!x.before || x.before.leader_id !== as.leader.user.id));
  assert.ok(teamChange, 'the team change');
  // Readers of the region see the history too; the general audit agrees.
  assert.equal((await as.viewer.get(`/projects/${F.a.id}/history`)).status, 200);
  const audit = await as.hq.get(`/audit?entity=project&entity_id=${F.a.id}&page_size=200`);
  assert.equal(audit.body.total, items.length);
  const v = await as.hq.get('/audit/verify');
  assert.equal(v.body.ok, true, show(v));
});

test('a stage change is in the history', async () => {
  const items = (await as.hq.get(`/projects/${F.b.id}/history`)).body.items;
  assert.ok(items.some((x) => x.before?.stage === 'planning' && x.after?.stage === 'construction'), JSON.stringify(items.map((x) => x.action)));
});

test('the credit-code check digit matters', async () => {
  const good = creditCode(4321);
  const last = good.at(-1);
  const wrong = good.slice(0, -1) + (last === '0' ? '1' : '0');
  const r = await as.hq.post('/projects', fullInput(95, ctx, { name: '玄鸟校验位', enterprise_credit_code: wrong }));
  assert.equal(r.status, 422, `wrong check character ${wrong}: ${show(r)}`);
  assert.ok(r.body.error.fields.some((f) => f.field === 'enterprise_credit_code'));
  const ok = await as.hq.post('/projects', fullInput(96, ctx, { name: '玄鸟校验位', enterprise_credit_code: good }));
  assert.equal(ok.status, 201, show(ok));
});
