#!/usr/bin/env node
// Saves PNGs of every main page at desktop (1440x900) and phone (390x844) size, signed in as admin on demo data:
//   STEWARD_BIN=$PWD/build/steward STEWARD_WEB=$PWD/web/dist node tests/e2e/screenshot.mjs /tmp/shots
// Not a test: it is for looking at the UI. SHOTS=lights,projects,unit-letters shoots only the pages of those names
// (both sizes) and skips the dialogs, for iterating on a few pages.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiClient, DESKTOP, field, newPage, PHONE, signIn, startStack } from './browser.mjs';
import { buildXlsx } from '../api/xlsx.mjs';
import { runSteward, sqlExec } from '../api/harness.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
process.env.STEWARD_BIN ||= join(root, 'build/steward');
process.env.STEWARD_WEB ||= join(root, 'web/dist');
const out = resolve(process.argv[2] || 'screenshots');
mkdirSync(out, { recursive: true });

const settle = async (page) => {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(1300); // chart animations
};

const only = process.env.SHOTS ? new Set(process.env.SHOTS.split(',').map((n) => n.trim()).filter(Boolean)) : null;
const wanted = (name) => !only || only.has(name);

// The demo with its year of reports: red, yellow and green projects, letters at every step.
const stack = await startStack({ demoReports: true });
try {
  const api = await apiClient(stack.server.url, 'admin');
  const list = await api.get('/projects?sort=total_investment&order=desc&page_size=5');
  const id = list.body.items[0].id;
  // Reporting pages with something on them: two reports (one returned to its reporter, so the inbox has a
  // message) and a statistics registration.
  const due = (await api.get(`/projects/${id}/reports`)).body.current;
  const sample = { percent: 35, progress: '主体结构封顶，开始设备安装', workers: 120, machines: 8, next_plan: '完成设备安装调试', problems: ['临时用电容量不足'] };
  const r1 = await api.post(`/projects/${id}/reports`, { ...sample, investment: 12_005_000 });
  await api.post(`/reports/${r1.body.id}/return`, { reason: '投资额与监理月报不符，请核实后重新报送' });
  const other = list.body.items[1].id;
  await api.post(`/projects/${other}/reports`, { ...sample, investment: 8_000_000, percent: 60 });
  await api.put(`/projects/${id}/statistics`, { registered: true, months: [{ month: due.key.slice(0, 7), amount: 9_000_000 }] });
  // The leaders' weekly visits: this week's visit to the first project and two earlier ones, so the tab has a list
  // and the week page a rate.
  const week = (await api.get('/visits/rates')).body.week;
  const dayBefore = (n) => new Date(Date.parse(`${week.start}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);
  for (const [pid, date, findings] of [[id, dayBefore(14), '土方开挖完成，渣土运输车辆未全部覆盖，已要求整改'],
    [id, dayBefore(7), '主体结构施工中，临时用电容量不足，协调供电所增容'], [id, week.start, '主体结构封顶，设备进场安装'],
    [other, week.start, '施工组织有序']]) {
    await api.post(`/projects/${pid}/visits`, { date, visitors: ['王志刚', '县发改局 李明'], findings });
  }
  // Lights and letters: the county evaluated today, a supervision letter issued (and one left as a draft), a summons.
  const hqApi = await apiClient(stack.server.url, 'hq');
  await hqApi.post('/lights/evaluate');
  // A project of 县工业和信息化局, the unit of the demo user `unit`, so that its letter shows in that user's pages.
  const all = (await api.get('/projects?page_size=200')).body.items;
  const industry = all.find((p) => p.unit_name === '县工业和信息化局' && p.status === 'active') || list.body.items[0];
  const facts = '1. 计划2025年5月开工，逾期9个月未开工（红灯：逾期超过3个月）\n2. 本年完成投资落后时序进度32个百分点';
  const action = '请单位主要负责人亲自研究，于收函后7日内将整改落实情况书面报县重点项目建设指挥部办公室。';
  const issued = await hqApi.post('/letters', { project_id: industry.id, kind: 'supervision', facts, action });
  if (issued.status === 201) await hqApi.post(`/letters/${issued.body.id}/issue`);
  await hqApi.post('/letters', { project_id: other, kind: 'assignment', facts: '计划开工已逾期半个月', action: '请于收函后10日内查明滞后原因并书面反馈。' });
  const unitId = industry.unit_id;
  if (unitId) {
    await hqApi.post('/summons', { project_id: industry.id, unit_id: unitId, principal: '刘建国', held_on: week.start, attendees: ['县委常委 王志刚', '县纪委监委 赵敏'],
      reason: '项目逾期9个月未开工，督办函答复不及时', commitments: '一个月内完成施工许可，4月底前开工', follow_up_due: dayBefore(-30) });
  }
  const letterId = issued.status === 201 ? issued.body.id : 0;
  // The problem list: one in progress with a site photo and a helper unit, one waiting to be accepted, one rated
  // and closed, an enterprise demand answered (its reply letter), and one escalated when the leader can.
  const photo = await (async () => {
    const login = await fetch(`${stack.server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'hq', password: 'Steward@2026' }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrf_token: csrf } = await login.json();
    const r = await fetch(`${stack.server.url}/api/v1/projects/${industry.id}/photos`, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'image/jpeg' }, body: readFileSync(join(root, 'tests/fixtures/photos/exif-gps.jpg')) });
    return r.status === 201 ? (await r.json()).hash : null;
  })();
  const units = (await hqApi.get('/org-units')).body.items || [];
  const helper = units.find((u) => u.name === '县交通运输局') || units.find((u) => u.kind !== 'hq' && u.id !== unitId);
  const raiseP = async (body) => (await hqApi.post('/problems', { project_id: industry.id, ...body })).body;
  const stepP = (pid, action, body = {}) => hqApi.post(`/problems/${pid}/${action}`, body);
  const unitApi = await apiClient(stack.server.url, 'unit');
  const p1 = await raiseP({ title: '施工用电增容未落实', description: '项目二期设备安装需110千伏专线，供电公司尚未排期，影响12月试生产。', category: 'energy', evidence: photo ? [photo] : [] });
  await stepP(p1.id, 'accept', { note: '属实，请工信局牵头协调' });
  await stepP(p1.id, 'assign', { lead_unit_id: unitId, helper_unit_ids: helper ? [helper.id] : [], note: '请3日内反馈，7日内办结' });
  await unitApi.post(`/problems/${p1.id}/start`, {});
  await unitApi.post(`/problems/${p1.id}/feedback`, { note: '已与供电公司现场踏勘，线路方案待审批' });
  await raiseP({ title: '部分地块征拆尚未完成', category: 'land_acquisition', severity: 'complex' });
  const p3 = await raiseP({ title: '施工许可办理时限过长', category: 'approval' });
  await stepP(p3.id, 'accept');
  await stepP(p3.id, 'assign', { lead_unit_id: unitId });
  await unitApi.post(`/problems/${p3.id}/start`, {});
  await unitApi.post(`/problems/${p3.id}/solve`, { note: '已开通并联审批绿色通道，施工许可当日办结' });
  await stepP(p3.id, 'close', { rating: 4, comment: '办理及时' });
  const p4 = await raiseP({ title: '申请协调天然气接入', kind: 'demand', category: 'energy', description: '企业反映天然气管道接入报装后一个月未有答复' });
  await stepP(p4.id, 'accept');
  await stepP(p4.id, 'assign', { lead_unit_id: unitId });
  await unitApi.post(`/problems/${p4.id}/start`, {});
  await unitApi.post(`/problems/${p4.id}/solve`, { note: '已协调燃气公司，11月10日前完成接入' });
  const p5 = await raiseP({ title: '跨部门协调：管线迁改', category: 'other' });
  await stepP(p5.id, 'accept');
  await stepP(p5.id, 'assign', { lead_unit_id: unitId });
  const p6 = await raiseP({ title: '旺季用工缺口约200人', category: 'labour' });
  await stepP(p6.id, 'accept', { note: '请人社局牵头' });
  sqlExec(stack.server.dbUrl, `UPDATE projects SET leader_id = (SELECT id FROM users WHERE username = 'leader') WHERE id = ${industry.id}`);
  await (await apiClient(stack.server.url, 'leader')).post(`/problems/${p5.id}/escalate`, { note: '涉及住建、交通、供电三个部门' });
  // 消息推送: a DingTalk robot (signed) and a WeCom one; with no way out, their test messages wait for a retry.
  const ding = await api.post('/webhooks', { name: '重点项目调度群', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=demo', secret: 'SECdemo', events: ['problem_assigned', 'overdue', 'escalated', 'letter_received'] });
  await api.post('/webhooks', { name: '工信局工作群', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo', events: ['report_returned', 'report_reminder'], enabled: false });
  if (ding.status === 201) await api.post(`/webhooks/${ding.body.id}/test`);
  // 回看: the day before the county's today, from its published history.
  const asOf = (await hqApi.get('/lights?page_size=1')).body.as_of;
  const yesterday = new Date(Date.parse(`${asOf}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
  // inspection bulletins (督查通报): the demo's issued weekly bulletins and its draft.
  const bulletinItems = (await hqApi.get('/bulletins')).body.items || [];
  const bulletinDraft = bulletinItems.find((b) => b.status === 'draft') || bulletinItems[0];
  const bulletinIssued = bulletinItems.find((b) => b.status === 'issued') || bulletinItems[0];
  const inspectionPeriod = ((await hqApi.get('/inspections')).body.items || [])[0]?.period || '';
  const pages = [
    ['lights-replay', `/lights?as_of=${yesterday}`],
    ['lights', '/lights'],
    ['lights-red', '/lights?light=red'],
    ['project-lights', `/projects/${industry.id}?tab=lights`],
    ['letters', '/letters'],
    ['letter-detail', `/letters?letter=${letterId}`],
    ['letters-summons', '/letters?tab=summons'],
    ['problems', '/problems'],
    ['problems-figures', '/problems?tab=figures'],
    ['problem-detail', `/problems/${p1.id}`],
    ['problem-demand', `/problems/${p4.id}`],
    ['problem-closed', `/problems/${p3.id}`],
    ['project-problems', `/projects/${industry.id}?tab=problems`],
    ['webhooks', '/webhooks'],
    ['home', '/'],
    ['projects', '/projects'],
    ['projects-mine', '/projects/mine'],
    ['project-new', '/projects/new'],
    ['project-basic', `/projects/${id}`],
    ['project-team', `/projects/${id}?tab=team`],
    ['project-nodes', `/projects/${id}?tab=nodes`],
    ['project-plan', `/projects/${id}?tab=plan`],
    ['project-history', `/projects/${id}?tab=history`],
    ['project-report', `/projects/${id}?tab=report`],
    ['project-visits', `/projects/${id}?tab=visits`],
    ['visits', '/visits'],
    ['report-desk', '/reports'],
    ['report-periods', '/reports?tab=periods'],
    ['report-stats', `/reports?tab=stats&project=${id}`],
    ['inbox', '/inbox'],
    ['board-gantt', '/board/gantt'],
    ['report-summary', `/reports/summary?cadence=month&period=${due.key}`],
    ['statistics-gaps', '/statistics/gaps'],
    ['project-edit', `/projects/${id}/edit`],
    ['org-units', '/org/units'],
    ['org-users', '/org/users'],
    ['audit', '/audit'],
    ['county-profile', '/county-profile'],
    ['consultation', '/consultation'],
    ['lists', '/lists'],
    ['lists-deadlines', '/lists?tab=deadlines'],
    ['lists-responsibilities', '/lists?tab=responsibilities'],
    // rankings (排名考核)
    ['rankings', '/rankings'],
    ['ledgers', '/ledgers'],
    ['show-results', '/show-results'],
    ['drill', '/show-results?tab=drill'],
    ['yellow-cards', '/yellow-cards'],
    ['awards', '/awards'],
    // inspection bulletins (督查通报)
    ['bulletins', '/bulletins'],
    ['bulletin-draft', `/bulletins/${bulletinDraft?.id}`],
    ['bulletin-issued', `/bulletins/${bulletinIssued?.id}`],
    // the ten-day inspection (每旬必督): the demo's last 旬
    ['inspections', `/inspections?period=${inspectionPeriod}`],
    // commitments and quarterly lists
    ['commitments', '/commitments'],
    ['commitments-attack', '/commitments?tab=attack'],
    ['commitments-review', '/commitments?tab=review'],
  ];
  for (const [tag, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(stack.browser, stack.server.url, viewport);
    if (only) {
      await signIn(page, 'admin');
      for (const [name, path] of pages.filter(([n]) => wanted(n))) {
        await page.goto(path);
        await settle(page);
        await page.screenshot({ path: join(out, `${tag}-${name}.png`), fullPage: true });
        console.log(`${tag}-${name}.png`);
      }
      if (page.errors.length) console.log('page errors:', page.errors);
      await page.context().close();
      continue;
    }
    await page.goto('/login');
    await settle(page);
    await page.screenshot({ path: join(out, `${tag}-login.png`), fullPage: true });
    await field(page, 'login-username').fill('admin');
    await field(page, 'login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    await page.screenshot({ path: join(out, `${tag}-login-error.png`), fullPage: true });
    await signIn(page, 'admin');
    for (const [name, path] of pages) {
      await page.goto(path);
      await settle(page);
      await page.screenshot({ path: join(out, `${tag}-${name}.png`), fullPage: true });
      console.log(`${tag}-${name}.png`);
    }
    await page.goto('/projects');
    await settle(page);
    await page.getByTestId('import-open').click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `${tag}-import-dialog.png`) });
    // A sheet naming units and a leader the county lacks: the review step of the dialog.
    const onboardSheet = buildXlsx({ name: '项目库', rows: [
      ['项目名称', '项目类别', '责任单位', '项目长'],
      [`截图示例项目甲${tag}`, '产业项目', `县新质生产力促进中心${tag}`, `宋明远${tag}`],
      [`截图示例项目乙${tag}`, '产业项目', `衡东县新材料产业园${tag}`, ''],
      [`截图示例项目丙${tag}`, '基础设施', '县发改局', ''],
    ] });
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({
      name: 'onboard.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: onboardSheet });
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-onboard').waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(out, `${tag}-import-onboard.png`) });
    if (tag === 'phone') {
      await page.goto('/');
      await settle(page);
      await page.getByTestId('nav-toggle').click();
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(out, `${tag}-nav-drawer.png`) });
    }
    await page.goto('/reports?tab=periods');
    await settle(page);
    await page.getByTestId(`period-view-${due.key}`).click();
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(out, `${tag}-report-period.png`) });
    await page.getByTestId(`line-return-${other}`).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `${tag}-report-return-dialog.png`) });
    await page.goto(`/projects/${id}`);
    await settle(page);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-password').click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `${tag}-password-dialog.png`) });
    await page.keyboard.press('Escape');
    // 提出问题 from the project's 问题 tab, and 交办 on a problem waiting to be assigned (cancelled, nothing sent).
    await page.goto(`/projects/${industry.id}?tab=problems`);
    await settle(page);
    await page.getByTestId('project-problem-new').click();
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(out, `${tag}-problem-raise-dialog.png`) });
    await page.goto(`/problems/${p6.id}`);
    await settle(page);
    if (await page.getByTestId('problem-act-assign').count()) {
      await page.getByTestId('problem-act-assign').click();
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(out, `${tag}-problem-assign-dialog.png`) });
    }
    if (page.errors.length) console.log('page errors:', page.errors);
    await page.context().close();
  }
  // The week page as the county leader sees it (their own line first) and the tab with the form.
  for (const [tag, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(stack.browser, stack.server.url, viewport);
    await signIn(page, 'leader');
    for (const [name, path] of [['leader-visits', '/visits'], ['leader-project-visits', `/projects/${id}?tab=visits`]].filter(([n]) => wanted(n))) {
      await page.goto(path);
      await settle(page);
      await page.screenshot({ path: join(out, `${tag}-${name}.png`), fullPage: true });
      console.log(`${tag}-${name}.png`);
    }
    if (page.errors.length) console.log('page errors:', page.errors);
    await page.context().close();
  }
  // The unit's letters: its inbox, and the letter open with 签收.
  for (const [tag, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(stack.browser, stack.server.url, viewport);
    await signIn(page, 'unit');
    for (const [name, path] of [['unit-letters', '/letters'], ['unit-letter', `/letters?letter=${letterId}`], ['unit-inbox', '/inbox'], ['unit-problems', '/problems?scope=unit'], ['unit-problem', `/problems/${p1.id}`]].filter(([n]) => wanted(n))) {
      await page.goto(path);
      await settle(page);
      await page.screenshot({ path: join(out, `${tag}-${name}.png`), fullPage: true });
      console.log(`${tag}-${name}.png`);
    }
    if (page.errors.length) console.log('page errors:', page.errors);
    await page.context().close();
  }
  // The checklist of "ones" and the words of another county's profile (Zhuxi: 时间表, 施工图, 任务书; 专班).
  if (!only) {
  const r = runSteward(['rules', 'profile', '--db', stack.server.dbUrl, '--region', '430424', '--preset', 'zhuxi']);
  if (r.code !== 0) throw new Error(r.stderr);
  for (const [tag, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(stack.browser, stack.server.url, viewport);
    await signIn(page, 'admin');
    await page.goto(`/projects/${id}?tab=team`);
    await settle(page);
    await page.screenshot({ path: join(out, `${tag}-zhuxi-team.png`), fullPage: true });
    await page.getByTestId('team-edit').click();
    await page.getByTestId('team-checks').waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(out, `${tag}-zhuxi-team-edit.png`), fullPage: true });
    await page.goto('/projects?missing=1');
    await settle(page);
    await page.screenshot({ path: join(out, `${tag}-zhuxi-projects-missing.png`), fullPage: true });
    if (page.errors.length) console.log('page errors:', page.errors);
    await page.context().close();
  }
  }
} finally {
  await stack.stop();
}
console.log(`screenshots in ${out}`);
