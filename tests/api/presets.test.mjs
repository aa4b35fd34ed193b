// The five seed counties as presets: each produces its own stages, checklist of "ones", ranks and words, with
// what its report is silent on marked inherited; switching a county maps its projects' stages or is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runSteward, show, startServer } from './harness.mjs';

let server;
let hq;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-presets-'));
before(async () => {
  server = await startServer();
  hq = new Client(server.url);
  await hq.login('hq', 'Steward@2026');
});
after(async () => { await server?.stop(); });

const apply = (name, map, ext = 'json') => {
  const args = ['rules', 'apply-preset', name, '--db', server.dbUrl, '--region', '430424'];
  if (map !== undefined) {
    const file = path.join(dir, `${name}.${ext}`);
    fs.writeFileSync(file, ext === 'json' ? JSON.stringify(map) : map);
    args.push('--stage-map', file);
  }
  return runSteward(args);
};
const stageCounts = async () => {
  const d = (await hq.get('/dashboard')).body.projects.by_stage;
  return Object.fromEntries(d.filter((s) => s.count > 0).map((s) => [s.key, s.count]));
};
const inForce = async (kind) => {
  const r = await hq.get(`/rules/${kind}`);
  assert.equal(r.status, 200, show(r));
  return r.body;
};
const paths = (body) => (body.inherited || []).map((i) => i.path);

test('GET /presets names the five seed counties with what each kind sets', async () => {
  const r = await hq.get('/presets');
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.body.items.map((p) => p.name), ['zhuxi', 'xianfeng', 'jingle', 'lianshui', 'hengdong']);
  const xf = r.body.items.find((p) => p.name === 'xianfeng');
  assert.equal(xf.county, '咸丰县');
  assert.equal(xf.seed, '[Xianfeng 001]');
  const kinds = Object.fromEntries(xf.kinds.map((k) => [k.kind, k]));
  assert.ok(kinds.lifecycle.inherited.some((i) => i.path === 'stages'), 'Xianfeng names no stages');
  assert.ok(kinds.profile.inherited.some((i) => i.path === 'ones'));
  assert.equal((await new Client(server.url).get('/presets')).status, 401);
});

test('a switch without a complete stage mapping is refused, names the stages and counts, and changes nothing', async () => {
  const before = await stageCounts();
  const versions = (await inForce('lifecycle')).version;
  const r = apply('zhuxi');
  assert.notEqual(r.code, 0, r.stdout);
  for (const [stage, n] of Object.entries(before)) {
    if (['construction', 'operation'].includes(stage)) continue; // Zhuxi has these stages too
    assert.match(r.stderr, new RegExp(`${stage}（${n} 个项目）`), r.stderr);
  }
  // A mapping to a stage Zhuxi does not have is refused as well.
  const bad = apply('zhuxi', { planning: 'reserve', prereview: 'nowhere', signing: 'negotiation', siting: 'approvals', review: 'construction' });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /stage_map\.prereview: unknown_stage/);
  // Partial: one stage left out.
  const partial = apply('zhuxi', { planning: 'reserve', prereview: 'negotiation', signing: 'negotiation', siting: 'approvals' });
  assert.notEqual(partial.code, 0);
  assert.match(partial.stderr, /stage_map\.review: missing/);
  assert.doesNotMatch(partial.stderr, /stage_map\.planning/);
  assert.deepEqual(await stageCounts(), before);
  assert.equal((await inForce('lifecycle')).version, versions);
  assert.equal((await inForce('profile')).version, 0, 'no kind is stored when the switch is refused');
});

test('zhuxi: mapped stages, its checklist (时间表/施工图/任务书), 3456 ratios, seven named chains, 项目长', async () => {
  const before = await stageCounts();
  const map = { planning: 'reserve', prereview: 'negotiation', signing: 'negotiation', siting: 'approvals', review: 'construction' };
  const r = apply('zhuxi', map);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /moved \d+ projects from stage planning to reserve/);
  const after = await stageCounts();
  assert.equal(after.reserve, before.planning);
  assert.equal(after.construction, (before.construction || 0) + (before.review || 0));
  const lc = await inForce('lifecycle');
  assert.deepEqual(lc.body.stages.map((s) => s.name), ['谋划储备', '洽谈', '手续办理', '开工建设', '投产运营']);
  assert.deepEqual(paths(lc.body), ['nodes']);
  const p = (await inForce('profile')).body;
  assert.deepEqual(p.ones.items.map((i) => i.name), ['时间表', '施工图', '任务书']);
  assert.deepEqual(p.model.ratios, { county_leader: 37, projects: 181, section_chief: 69, unit_leader: 56, unit_principal: 43 });
  assert.deepEqual(p.chains.names, ['电子信息', '生物医药', '水产业', '文旅康养', '农特产品加工', '新能源', '循环经济']);
  assert.equal(p.vocabulary.leader, '项目长');
  assert.equal(p.vocabulary.chain_chief, '产链长');
  assert.ok(paths(p).includes('ranks'), 'Zhuxi is silent on the county head: inherited');
  for (const i of p.inherited) assert.match(i.note, /本县报告/);
  // The moves are in the audit trail as stage changes.
  const audit = await hq.get('/audit?entity=project&page_size=200');
  assert.ok(audit.body.items.some((e) => e.action === 'stage' && JSON.stringify(e).includes('切换县情预设：zhuxi')), show(audit));
});

test('jingle through a TSV mapping: 意向→开工, 五个一 ending in 一抓到底', async () => {
  const r = apply('jingle', '# zhuxi -> jingle\nreserve\tintent\nnegotiation\tintent\napprovals\tcontract\noperation\tconstruction\n', 'tsv');
  assert.equal(r.code, 0, r.stderr);
  const lc = await inForce('lifecycle');
  assert.deepEqual(lc.body.stages.map((s) => s.name), ['意向', '签约', '合同', '开工']);
  const p = (await inForce('profile')).body;
  assert.equal(p.ones.name, '五个一');
  assert.deepEqual(p.ones.items.map((i) => i.name), ['一个项目', '一名领导', '一套班子', '一套方案', '一抓到底']);
  assert.equal(p.ones.items.at(-1).satisfied_by, 'manual');
  assert.ok(paths(p).includes('chains'));
});

test('lianshui: default stages marked inherited, 四个一 with the county-level chief, 帮办服务组', async () => {
  const r = apply('lianshui', { intent: 'planning', contract: 'siting' });
  assert.equal(r.code, 0, r.stderr);
  const lc = await inForce('lifecycle');
  assert.equal(lc.body.stages.length, 7);
  const stages = lc.body.inherited.find((i) => i.path === 'stages');
  assert.equal(stages.from, 'default');
  assert.match(stages.note, /本县报告未涉及/);
  const p = (await inForce('profile')).body;
  assert.equal(p.ones.name, '四个一');
  assert.deepEqual(p.ones.items.map((i) => [i.key, i.satisfied_by]),
    [['leader', 'leader'], ['plan', 'manual'], ['schedule', 'manual'], ['service_group', 'team']]);
  assert.equal(p.vocabulary.leader, '县级项目长');
  assert.equal(p.vocabulary.team, '帮办服务组');
  assert.ok(paths(p).includes('ranks'));
});

test('xianfeng: everything its report is silent on is inherited from the default', async () => {
  const r = apply('xianfeng');
  assert.equal(r.code, 0, r.stderr);
  const p = (await inForce('profile')).body;
  assert.equal(p.preset, 'xianfeng');
  assert.deepEqual(paths(p).sort(), ['chains', 'model', 'ones', 'ranks', 'roles', 'vocabulary']);
  assert.ok(paths((await inForce('lifecycle')).body).includes('stages'));
});

test('hengdong: 五个一, roles required while under construction, 县长/常务副县长, 1+8+N groups as org units', async () => {
  const r = apply('hengdong');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /created working group 招商引资专项工作组/);
  const lc = await inForce('lifecycle');
  assert.deepEqual(lc.body.stages.map((s) => s.name),
    ['策划包装', '招商预审', '谈判签约', '规划选址', '落地开工', '履约评估', '竣工投产运营']);
  assert.deepEqual(paths(lc.body), ['nodes']);
  const p = (await inForce('profile')).body;
  assert.deepEqual(p.ones.items.map((i) => i.name), ['一个重点项目', '一名牵头领导', '一个工作专班', '一套工作方案', '一张时间进度表']);
  assert.deepEqual(p.roles.map((x) => x.use), ['required_under_construction', 'required_under_construction', 'required_under_construction']);
  assert.equal(p.ranks.county_head, '县长');
  assert.equal(p.ranks.executive_vice_head, '常务副县长');
  assert.equal(p.model.key, '1+8+N');
  assert.equal(p.model.group_count, 8);
  assert.equal(p.chains.label, '一金一药两材三特');
  assert.deepEqual(p.chains.names, [], 'the report gives only the count');
  assert.equal(p.vocabulary.leader, '牵头领导');
  assert.deepEqual(p.inherited, []);
  const groups = await hq.get('/org-units?kind=group');
  assert.deepEqual(groups.body.items.map((g) => g.name).sort(), ['征地拆迁专项工作组', '招商引资专项工作组', '用地报批专项工作组'].sort());
  // Applying again creates no second set of groups.
  assert.equal(apply('hengdong').code, 0);
  assert.equal((await hq.get('/org-units?kind=group')).body.items.length, 3);
  const audit = await hq.get('/audit?entity=org_unit&page_size=50');
  assert.ok(audit.body.items.some((e) => e.action === 'create' && JSON.stringify(e).includes('征地拆迁专项工作组')), show(audit));
});

test('steward demo --preset loads the demo county under that preset with its stages mapped', () => {
  const url = server.dbUrl.startsWith('sqlite:') ? `sqlite:${path.join(dir, 'demo.db')}` : null;
  if (!url) return; // the PostgreSQL run covers the same code through apply-preset above
  assert.equal(runSteward(['migrate', '--db', url]).code, 0);
  const r = runSteward(['demo', '--db', url, '--preset', 'jingle']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /demo county under preset jingle/);
  const list = runSteward(['rules', 'list', '--db', url, '--region', '430424']);
  assert.match(list.stdout, /profile \(县情配置\): version 1 in force/);
  assert.equal(runSteward(['demo', '--db', `sqlite:${path.join(dir, 'demo2.db')}`, '--preset', 'nowhere']).code === 0, false);
});
