// ISO weeks (Monday to Sunday; week 1 holds the year's first Thursday) as the API keys them: "2026-W10".
const DAY = 86400000

function utc(dateStr) {
  const [y, m, d] = dateStr.split('-').map(Number)
  return Date.UTC(y, m - 1, d)
}
function iso(t) {
  return new Date(t).toISOString().slice(0, 10)
}

// "YYYY-MM-DD" → "YYYY-Www"
export function weekKeyOf(dateStr) {
  const t = utc(dateStr)
  const weekday = (new Date(t).getUTCDay() + 6) % 7 // Monday 0
  const thursday = new Date(t + (3 - weekday) * DAY)
  const year = thursday.getUTCFullYear()
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7)
  return `${year}-W${String(week).padStart(2, '0')}`
}

// "YYYY-Www" → its Monday "YYYY-MM-DD" (null for a malformed key)
export function weekStart(key) {
  const m = /^(\d{4})-W(\d{2})$/.exec(key || '')
  if (!m) return null
  const jan4 = Date.UTC(Number(m[1]), 0, 4)
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY
  return iso(monday1 + (Number(m[2]) - 1) * 7 * DAY)
}

export function addWeeks(key, n) {
  const start = weekStart(key)
  return start ? weekKeyOf(iso(utc(start) + n * 7 * DAY)) : null
}

// "2026-W10" → "2026年第10周（3月2日–3月8日）"
export function weekLabel(key) {
  const start = weekStart(key)
  if (!start) return key || ''
  const end = iso(utc(start) + 6 * DAY)
  const md = (s) => `${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日`
  return `${key.slice(0, 4)}年第${Number(key.slice(6))}周（${md(start)}–${md(end)}）`
}

// Basis points as a percentage with one decimal, in integers: 6666 → "66.6%".
export function bpText(bp) {
  const n = Math.max(0, Math.trunc(Number(bp) || 0))
  return `${Math.trunc(n / 100)}.${Math.trunc((n % 100) / 10)}%`
}
