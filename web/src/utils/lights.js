// Warning lights (亮灯预警) and the three letters (三函): the words and colours the screens share.
export const LIGHTS = {
  red: { name: '红灯', color: '#d93026', bg: '#fdecea', type: 'danger' },
  yellow: { name: '黄灯', color: '#e6a23c', bg: '#fdf6ec', type: 'warning' },
  green: { name: '绿灯', color: '#2e9d57', bg: '#eaf6ee', type: 'success' },
}
export const LIGHT_KEYS = ['red', 'yellow', 'green']
export function lightOf(key) {
  return LIGHTS[key] || { name: '未评价', color: '#b6bfcc', bg: '#f2f4f7', type: 'info' }
}

// Dimension keys as in core/lights.h; the server sends labels too, these are the fallback.
export const DIMENSIONS = {
  start_slip: '开工滞后',
  node_slip: '节点滞后',
  investment_time: '投资滞后于时序',
  investment_plan: '投资滞后于计划',
  reports: '报送缺报',
  letters: '函件逾期',
  problems: '问题逾期',
}
export function dimensionName(key, label) {
  return label || DIMENSIONS[key] || key
}

export const LETTER_KINDS = {
  reminder: { name: '提醒函', type: 'primary' },
  assignment: { name: '交办函', type: 'warning' },
  supervision: { name: '督办函', type: 'danger' },
  work_reminder: { name: '工作提示', type: 'info' },
}
export const LETTER_STATUS = {
  draft: { name: '草稿', type: 'info' },
  issued: { name: '已签发', type: 'primary' },
  signed: { name: '已签收', type: 'warning' },
  answered: { name: '已答复', type: 'success' },
  closed: { name: '已办结', type: 'info' },
  discarded: { name: '已作废', type: 'info' },
}
export const letterKind = (k) => LETTER_KINDS[k] || { name: k || '函件', type: 'info' }
export const letterStatus = (s) => LETTER_STATUS[s] || { name: s || '—', type: 'info' }

// SPI from basis points: 8700 → "0.87"; integer arithmetic, half-up on the hundredths.
export function formatSpi(bp) {
  if (bp === null || bp === undefined || !Number.isFinite(bp)) return '—'
  const neg = bp < 0
  const hundredths = Math.floor((Math.abs(bp) + 50) / 100)
  const s = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`
  return neg ? '-' + s : s
}
// A SPI's tone: below 0.9 danger, below 1 warning, else success.
export function spiTone(bp) {
  if (bp === null || bp === undefined) return ''
  if (bp < 9000) return 'danger'
  if (bp < 10000) return 'warning'
  return 'ok'
}
