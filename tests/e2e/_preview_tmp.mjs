// temporary: screenshots with mocked ranking API (not committed)
import { join } from 'node:path';
import { DESKTOP, newPage, PHONE, signIn, startStack } from './browser.mjs';
const out = process.argv[2] || '/tmp/rankweb';
const names = ['县发改局', '县工业和信息化局', '县交通运输局', '县住建局', '县自然资源局', '洣水镇', '新塘镇', '大浦镇', '石湾镇', '县商务局'];
const factors = [
  { key: 'investment', label: '投资完成率', weight: 30, measure: 'ratio' },
  { key: 'start', label: '开工率', weight: 20, measure: 'ratio' },
  { key: 'reports', label: '按时填报率', weight: 15, measure: 'ratio' },
  { key: 'visits', label: '走访完成率', weight: 10, measure: 'ratio' },
  { key: 'problems', label: '问题办结率', weight: 15, measure: 'ratio' },
  { key: 'letters', label: '函件答复率', weight: 10, measure: 'ratio' },
];
const units = names.map((n, i) => {
  const fs = factors.map((f, j) => {
    const raw = 10000 - i * 700 - j * 150;
    const points = Math.max(0, raw);
    const contribution = Math.round(points * f.weight / 100);
    return { key: f.key, label: f.label, raw, points, weight: f.weight, contribution, message: `${f.label} ${(raw / 100).toFixed(2)}%，得 ${(points / 100).toFixed(2)} 分 × 权重 ${f.weight}% = ${(contribution / 100).toFixed(2)} 分` };
  });
  const total = fs.reduce((s, f) => s + f.contribution, 0);
  return { id: 100 + i, name: n, rank: i + 1, total, tied: false, grade: total >= 9000 ? '优' : total < 6000 ? '差' : '中', yellow_card: total < 6000, proposed: false, summons: i === 9, factors: fs, message: `第${i + 1}名` };
});
const board = { month: '2026-10', status: 'closed', subject: 'unit', revision: 2,
  revisions: [{ revision: 1, reason: '', created_at: '2026-11-01T01:00:00Z', created_by_name: '总指挥部', digest: 'a3f1c9e0b2d4e5f60718293a4b5c6d7e8f9012345678901234567890abcdef12' },
    { revision: 2, reason: '县统计局更正了10月投资数据', created_at: '2026-11-05T03:00:00Z', created_by_name: '总指挥部', digest: 'b3f1c9e0b2d4e5f60718293a4b5c6d7e8f9012345678901234567890abcdef12' }],
  units, rules: { factors, grades: { mode: 'thresholds' }, yellow: { enabled: true, mode: 'line', line: 6000, summons_after: 3 } } };
const months = ['2026-01','2026-02','2026-03','2026-04','2026-05','2026-06','2026-07','2026-08','2026-09','2026-10'];
const trend = { months, units: units.map((u, i) => ({ id: u.id, name: u.name, points: months.map((m, k) => ({ month: m, total: u.total + ((k * 7 + i * 3) % 11) * 50 - 250, rank: ((i + k) % 10) + 1, grade: u.grade, yellow_card: false })) })) };
const detail = { ...units[1], projects: [
  { id: 1, name: '衡东经开区新材料产业园一期', plan_investment: 120000000, done_investment: 86000000, planned_start: true, started: true, reports_due: 1, reports_on_time: 1, visits_due: 4, visits_done: 3, letters_due: 1, letters_in_time: 1, problems_due: 2, problems_solved: 1 },
  { id: 2, name: '智能装备制造基地', plan: 80000000, done: 20000000, planned_start: true, started: false, reports_due: 1, reports_on_time: 0, visits_due: 4, visits_done: 4, letters_due: 0, letters_in_time: 0, problems_due: 0, problems_solved: 0 }] };
const yc = { items: [
  { month: '2026-10', unit_id: 109, unit_name: '县商务局', total: 5430, in_a_row: 3, summons: true, revision: 2 },
  { month: '2026-09', unit_id: 109, unit_name: '县商务局', total: 5610, in_a_row: 2, summons: false, revision: 1 },
  { month: '2026-08', unit_id: 109, unit_name: '县商务局', total: 5720, in_a_row: 1, summons: false, revision: 1 },
  { month: '2026-08', unit_id: 108, unit_name: '石湾镇', total: 5890, in_a_row: 1, summons: false, revision: 1 }] };
const step = (at, due, late) => ({ at, due, late });
const ledgers = { month: '2026-11', deadlines: { set_up: '2026-11-05', sort: '2026-11-20', reconcile: '2026-11-25', hand_in: '2026-11-30', settle: '2026-12-05' }, can_settle: true,
  units: names.slice(0, 5).map((n, i) => ({ unit_id: 100 + i, unit_name: n, ledger_id: i < 4 ? i + 1 : null,
    steps: { set_up: step(i < 4 ? '2026-11-0' + (3 + i) + 'T02:00:00Z' : null, '2026-11-05', i >= 3), sort: step(i < 2 ? '2026-11-18T02:00:00Z' : null, '2026-11-20', i >= 2), reconcile: step(i < 1 ? '2026-11-26T02:00:00Z' : null, '2026-11-25', i < 1), hand_in: step(null, '2026-11-30', false), settle: step(null, '2026-12-05', false) },
    late_steps: i, unreconciled: i === 0 ? 1 : 0, differences_count: i === 0 ? 2 : 0 })) };
const awards = { quarter: '2026-Q3', ended: true, can_confirm: true, confirmed: false, decisions: [], candidates: [
  { award: 'start', label: '开工奖', subject_kind: 'project', id: 1, name: '衡东经开区新材料产业园一期', figure: 1, message: '2026年第3季度开工奖候选：7月15日开工' },
  { award: 'progress', label: '进度奖', subject_kind: 'project', id: 2, name: '智能装备制造基地', figure: 11250, message: '年度投资完成 112.50%' },
  { award: 'service', label: '服务奖', subject_kind: 'unit', id: 100, name: '县发改局', figure: 9350, message: '晒实绩评议平均 93.50 分' }] };
const register = { year: '2026', total_fen: 5000000, items: [{ award: 'start', subject_kind: 'project', subject_id: 1, subject_name: '衡东经开区新材料产业园一期', amount_fen: 5000000, note: '', decided_by_name: '总指挥部', decided_at: '2026-07-08T02:00:00Z' }] };
const sr = { items: [{ id: 1, title: '第三季度晒实绩比进度评议会', held_on: '2026-10-12', status: 'closed', status_label: '已结束', unit_count: 5 }, { id: 2, title: '11月晒实绩评议会', held_on: '2026-11-20', status: 'open', status_label: '评分中', unit_count: 5 }], can_create: true };
const meeting = { ...sr.items[1], version: 1, can_rate: true, can_close: true, own_unit_id: null, my_ratings: [{ unit_id: 100, mark: 9000 }], units: names.slice(0, 5).map((n, i) => ({ unit_id: 100 + i, unit_name: n, ratings: 6 - i, mean: 9000 - i * 321 })) };
const drill = { month: '2026-11', can_mark: true, factors: ['progress'], projects: [{ project_id: 1, project_name: '衡东经开区新材料产业园一期', judges: 3, factors: { progress: { mean: 8833 }, investment: { mean: 9000 }, output: { mean: 8500 }, brand: { mean: 8000 }, site: { mean: 9100 } } }] };
const routes = [
  [/\/api\/v1\/rankings\/trend/, trend], [/\/api\/v1\/rankings\/[^/]+\/units\//, detail], [/\/api\/v1\/rankings(\?|$)/, board],
  [/\/api\/v1\/yellow-cards/, yc], [/\/api\/v1\/ledgers\?/, ledgers], [/\/api\/v1\/awards\/register/, register], [/\/api\/v1\/awards\?/, awards],
  [/\/api\/v1\/show-results\/\d+/, meeting], [/\/api\/v1\/show-results/, sr], [/\/api\/v1\/drill\//, drill],
];
const stack = await startStack();
try {
  for (const [tag, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(stack.browser, stack.server.url, vp); page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.text().slice(0, 300)); });
    await page.route('**/api/v1/**', (route) => {
      const u = route.request().url();
      for (const [re, body] of routes) if (re.test(u)) return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
      return route.continue();
    });
    await signIn(page, 'admin');
    for (const [name, p] of [['rankings', '/rankings?month=2026-10'], ['ledgers', '/ledgers?month=2026-11'], ['show-results', '/show-results'], ['drill', '/show-results?tab=drill'], ['yellow-cards', '/yellow-cards'], ['awards', '/awards?quarter=2026-Q3']]) {
      await page.goto(p); await page.waitForTimeout(1500); if (page.errors.length) console.log(name, page.errors.splice(0));
      await page.screenshot({ path: join(out, `${tag}-${name}.png`), fullPage: true });
    }
    await page.goto('/rankings?month=2026-10'); await page.waitForTimeout(1200);
    if (tag === 'desktop') await page.getByTestId('rank-table').locator('.el-table__row').nth(1).click(); else await page.getByTestId('rank-card-101').click();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(out, `${tag}-rank-drawer.png`) });
    console.log(tag, page.errors);
    await page.context().close();
  }
} finally { await stack.stop(); }
