// Words for reporting periods and reports, shared by the project's 进度填报 tab and headquarters' 填报管理 page.
export const CADENCES = [
  { key: 'day', name: '日报' },
  { key: 'week', name: '周报' },
  { key: 'ten_day', name: '旬报' },
  { key: 'month', name: '月报' },
]
export function cadenceName(key) {
  const hit = CADENCES.find((c) => c.key === key)
  return hit ? hit.name : key || '—'
}

// A period's state now: open (before its deadline window), due, overdue, closed, future.
export const PERIOD_STATES = {
  future: { name: '未开始', type: 'info' },
  open: { name: '填报中', type: 'primary' },
  due: { name: '待报送', type: 'warning' },
  overdue: { name: '已逾期', type: 'danger' },
  closed: { name: '已关账', type: 'info' },
}
export function periodState(state) {
  return PERIOD_STATES[state] || { name: state || '—', type: 'info' }
}

export const REPORT_STATUS = {
  submitted: { name: '已报送', type: 'success' },
  returned: { name: '已退回', type: 'danger' },
  missing: { name: '未报', type: 'warning' },
}
export function reportStatus(status) {
  return REPORT_STATUS[status] || { name: status || '—', type: 'info' }
}

// The share a/b in whole percent for display only (integers in, text out; no money is rounded here).
export function shareText(a, b) {
  if (!b || b <= 0) return '—'
  const tenths = Math.floor((a * 1000) / b)
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`
}

// Problems are typed one per line.
export function problemsFromText(text) {
  return String(text || '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean)
}

export const QUESTIONABLE = {
  taken_before_period: '拍摄时间早于本期',
  far_from_site: '拍摄地点远离项目现场',
}
