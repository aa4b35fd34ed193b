// The problem list's words and colours (问题清单): states, kinds, severities, due status, the categories of the
// county's rules (GET /rules/problems, with the default nine as fallback), and which notices are about a problem.
import { api } from '../api'
import { cached, hasRole, session } from '../session'

export const PROBLEM_STATUS = {
  raised: { name: '已提出', type: 'warning' },
  accepted: { name: '已受理', type: 'primary' },
  assigned: { name: '已交办', type: 'primary' },
  in_progress: { name: '办理中', type: 'primary' },
  planned: { name: '计划推进中', type: 'warning' },
  solved: { name: '已办结', type: 'success' },
  closed: { name: '已评价关闭', type: 'info' },
  merged: { name: '已合并', type: 'info' },
}
export const problemStatus = (s) => PROBLEM_STATUS[s] || { name: s || '—', type: 'info' }

export const PROBLEM_KINDS = {
  problem: { name: '问题', type: 'primary' },
  demand: { name: '企业诉求', type: 'warning' },
  task: { name: '任务', type: 'success' },
}
export const problemKind = (k) => PROBLEM_KINDS[k] || { name: k || '问题', type: 'info' }

export const SEVERITIES = { ordinary: '一般', complex: '复杂' }
export const SOURCES = { direct: '直接提出', report: '进度填报', visit: '领导走访', enterprise: '企业诉求', consultation: '每月必商', review: '调度讲评会' }

export const DUE_STATUS = {
  on_time: { name: '期限内', cls: 'due-ok' },
  near: { name: '临近期限', cls: 'due-near' },
  overdue: { name: '已超期', cls: 'due-over' },
  none: { name: '', cls: '' },
}
export const dueOf = (s) => DUE_STATUS[s] || DUE_STATUS.none

// The actions of the loop with their words and whether they need a dialog.
export const ACTIONS = {
  accept: { name: '受理', type: 'primary' },
  assign: { name: '交办', type: 'primary', dialog: true },
  start: { name: '开始办理', type: 'primary' },
  feedback: { name: '反馈进展', dialog: true },
  plan: { name: '转为计划推进', type: 'warning', dialog: true },
  solve: { name: '办结', type: 'success', dialog: true },
  close: { name: '评价关闭', type: 'success', dialog: true },
  reject: { name: '退回重办', type: 'danger', dialog: true },
  merge: { name: '合并', dialog: true },
  escalate: { name: '提级', type: 'warning', dialog: true },
}

const DEFAULT_CATEGORIES = [
  ['land', '用地'], ['land_acquisition', '征拆'], ['approval', '审批'], ['funds', '资金'], ['energy', '用能'],
  ['water', '用水'], ['labour', '用工'], ['environment', '环评'], ['other', '其他'],
].map(([key, name]) => ({ key, name }))

// The county's categories, once per session.
export function problemCategories() {
  return cached('problem-categories', () =>
    api.get('/rules/problems', undefined, { silent: true })
      .then((r) => {
        const cats = (r && (r.body || r).categories) || []
        return cats.length ? cats.map((c) => ({ key: c.key, name: c.name, factor: !!c.factor })) : DEFAULT_CATEGORIES
      })
      .catch(() => DEFAULT_CATEGORIES),
  )
}

// Who may raise a problem (the server decides; this only hides the button).
export const canRaise = () => hasRole('hq', 'admin', 'unit', 'liaison', 'leader', 'inspector', 'enterprise')
// Who sees the county's figures.
export const canSeeFigures = () =>
  hasRole('hq', 'admin', 'inspector', 'viewer') || /00$/.test((session.user && session.user.region_code) || '')

// Inbox notices about a problem, by their kinds (older messages carry no link).
const PROBLEM_NOTICE_KINDS = new Set(['problem_raised', 'problem_assigned', 'problem_solved', 'problem_rejected'])
export function isProblemNotice(m) {
  const k = String(m.kind || '')
  if (PROBLEM_NOTICE_KINDS.has(k) || k.startsWith('problem_')) return true
  return ['escalated', 'deadline_near', 'overdue'].includes(k) && /问题|诉求/.test(String(m.title || '').split('：')[0])
}
