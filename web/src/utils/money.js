// Money arrives as an integer number of yuan. Everything here is integer arithmetic:
// no amount is ever multiplied or divided as a float and then formatted.

const WAN = 10000
const YI = 100000000

function assertSafeInt(v) {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`不是整数金额: ${v}`)
}

// Exact integer division with half-up rounding of |n| / d (d a power of ten).
function divRound(n, d) {
  const r = n % d
  let q = (n - r) / d
  if (r * 2 >= d) q += 1
  return q
}

function groupThousands(intStr) {
  return intStr.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// yuan → "1,234.56" (万元, two decimals, half-up on the hundred-yuan digit).
export function formatWan(yuan, { decimals = 2, separators = true } = {}) {
  if (yuan === null || yuan === undefined || yuan === '') return '—'
  assertSafeInt(yuan)
  const neg = yuan < 0
  const abs = neg ? -yuan : yuan
  const unit = 10 ** decimals
  const scaled = divRound(abs, WAN / unit) // number of 1/unit 万元
  const intPart = String((scaled - (scaled % unit)) / unit)
  const frac = decimals > 0 ? '.' + String(scaled % unit).padStart(decimals, '0') : ''
  return (neg ? '-' : '') + (separators ? groupThousands(intPart) : intPart) + frac
}

// yuan → "12.35" (亿元, two decimals).
export function formatYi(yuan, { decimals = 2 } = {}) {
  if (yuan === null || yuan === undefined || yuan === '') return '—'
  assertSafeInt(yuan)
  const neg = yuan < 0
  const abs = neg ? -yuan : yuan
  const unit = 10 ** decimals
  const scaled = divRound(abs, YI / unit)
  const intPart = String((scaled - (scaled % unit)) / unit)
  const frac = decimals > 0 ? '.' + String(scaled % unit).padStart(decimals, '0') : ''
  return (neg ? '-' : '') + groupThousands(intPart) + frac
}

// Display text: "12,345.00 万元", and for ≥ 1 亿元 also "（1.23 亿元）".
export function moneyText(yuan) {
  if (yuan === null || yuan === undefined) return '—'
  const wan = `${formatWan(yuan)} 万元`
  return Math.abs(yuan) >= YI ? `${wan}（${formatYi(yuan)} 亿元）` : wan
}

// Compact display for cards: ≥ 1 亿元 in 亿元, else 万元.
export function moneyShort(yuan) {
  if (yuan === null || yuan === undefined) return { value: '—', unit: '' }
  return Math.abs(yuan) >= YI ? { value: formatYi(yuan), unit: '亿元' } : { value: formatWan(yuan), unit: '万元' }
}

export const WAN_INPUT_PATTERN = /^\d{1,12}(\.\d{0,4})?$/

// "1234.5" (万元, up to 4 decimals) → 12345000 (yuan) by string arithmetic:
// split on '.', pad the fraction to four digits, concatenate. Returns null for empty input,
// throws RangeError for malformed input.
export function wanToYuan(text) {
  if (text === null || text === undefined) return null
  const s = String(text).trim().replace(/,/g, '')
  if (s === '') return null
  if (!WAN_INPUT_PATTERN.test(s)) throw new RangeError('金额格式不正确：最多四位小数的非负数（万元）')
  const [intPart, fracPart = ''] = s.split('.')
  const digits = (intPart + fracPart.padEnd(4, '0')).replace(/^0+(?=\d)/, '')
  const yuan = Number(digits)
  if (!Number.isSafeInteger(yuan)) throw new RangeError('金额过大')
  return yuan
}

// 12345000 → "1234.5": the exact 万元 text for an input box (no separators, trailing zeros trimmed).
export function yuanToWanInput(yuan) {
  if (yuan === null || yuan === undefined || yuan === '') return ''
  assertSafeInt(yuan)
  const neg = yuan < 0
  const abs = neg ? -yuan : yuan
  const r = abs % WAN
  const intPart = String((abs - r) / WAN)
  const frac = String(r).padStart(4, '0').replace(/0+$/, '')
  return (neg ? '-' : '') + intPart + (frac ? '.' + frac : '')
}

// Checks a 万元 text without converting; '' is valid (optional field).
export function isWanText(text) {
  if (text === null || text === undefined) return true
  const s = String(text).trim().replace(/,/g, '')
  if (s === '') return true
  try {
    wanToYuan(s)
    return true
  } catch {
    return false
  }
}

// Split an annual yuan amount into 12 monthly integer parts whose sum is exact.
export function splitEvenly(total, parts = 12) {
  assertSafeInt(total)
  const r = total % parts
  const base = (total - r) / parts
  return Array.from({ length: parts }, (_, i) => base + (i < r ? 1 : 0))
}

// yuan → number of 万元 for chart axes only (never used for stored values or text).
export function yuanToWanNumber(yuan) {
  return Number(formatWan(yuan || 0, { separators: false }))
}
export function yuanToYiNumber(yuan) {
  return Number(formatYi(yuan || 0).replace(/,/g, ''))
}

// yuan → 万元 text with as many decimals as needed (2 to 4), e.g. "1,234.50", "0.0001".
export function formatWanExact(yuan) {
  if (yuan === null || yuan === undefined || yuan === '') return '—'
  const [i, f] = formatWan(yuan, { decimals: 4 }).split('.')
  return `${i}.${f.replace(/0+$/, '').padEnd(2, '0')}`
}
