// Rankings speak integers: totals, points and contributions in hundredths of a point, ratios in basis points,
// marks in hundredths, ledger figures as counts; money in fen for awards. These turn them into words and back,
// without floating point.

// 8550 → "85.50"; -25 → "-0.25"
export function hundredths(v) {
  if (v === null || v === undefined || v === '') return '—'
  const n = Math.trunc(Number(v))
  if (!Number.isFinite(n)) return '—'
  const sign = n < 0 ? '-' : ''
  const a = Math.abs(n)
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
}

// A factor's raw figure by its measure: ratio bp → "85.00%", mark → "85.50 分", count → "3 项".
export function rawText(raw, measure) {
  if (raw === null || raw === undefined) return '无数据'
  if (measure === 'ratio') return `${hundredths(raw)}%`
  if (measure === 'count') return `${raw} 项`
  return `${hundredths(raw)} 分`
}

export const GRADE_TAG = { 优: 'success', 中: 'primary', 差: 'danger' }

// Yuan (as a decimal string the user typed) → integer fen, by parsing the digits: "1234.5" → 123450.
// Returns null when the text is not a non-negative amount with at most two decimals.
export function yuanTextToFen(text) {
  const s = String(text ?? '').trim().replace(/,/g, '')
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return null
  const frac = (m[2] || '').padEnd(2, '0')
  return Number(m[1]) * 100 + Number(frac)
}

// Integer fen → "1,234.50" yuan.
export function fenText(fen) {
  if (fen === null || fen === undefined) return '—'
  const n = Math.trunc(Number(fen))
  const sign = n < 0 ? '-' : ''
  const a = Math.abs(n)
  const yuan = String(Math.floor(a / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${yuan}.${String(a % 100).padStart(2, '0')}`
}

// Integer fen → the text of an input box in yuan ("123450" → "1234.50").
export function fenToYuanInput(fen) {
  if (fen === null || fen === undefined) return ''
  const a = Math.abs(Math.trunc(Number(fen)))
  return `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
}

// The month before today's (county day "YYYY-MM-DD") as "YYYY-MM".
export function lastMonth(day) {
  let y = Number(day.slice(0, 4))
  let m = Number(day.slice(5, 7)) - 1
  if (m === 0) { y -= 1; m = 12 }
  return `${y}-${String(m).padStart(2, '0')}`
}

// "2026-11" → "2026年11月"
export function monthText(m) {
  return m ? `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月` : ''
}

// The quarter before today's as "YYYY-Qn".
export function lastQuarter(day) {
  let y = Number(day.slice(0, 4))
  let q = Math.floor((Number(day.slice(5, 7)) - 1) / 3)
  if (q === 0) { y -= 1; q = 4 }
  return `${y}-Q${q}`
}
