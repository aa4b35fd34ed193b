// Turns an audit entry's before/after objects into readable rows: field, old value, new value.
import { FIELD_LABELS } from './format'
import { formatWan } from './money'
import { label, STATUS } from '../session'

const IGNORE = new Set(['updated_at', 'created_at', 'version', 'id', 'region_code', 'missing_ones', 'password_hash', 'search_text'])
const MONEY_KEYS = new Set(['total_investment', 'annual', 'amount', 'central_budget', 'special_bonds', 'self_raised', 'bank_loans', 'other'])
const PERSON_KEYS = new Set(['leader_id', 'steward_id', 'police_id', 'inspector_id', 'liaison_id', 'actor_id', 'user_id'])
const UNIT_KEYS = new Set(['unit_id', 'township_id', 'org_unit_id'])

const ORDER = [...Object.keys(FIELD_LABELS), 'year', 'annual', 'months', 'date', 'reason', 'note']

const isEmpty = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)
function same(a, b) {
  if (isEmpty(a) && isEmpty(b)) return true
  return JSON.stringify(a) === JSON.stringify(b)
}
const lastPart = (key) => key.split('.').pop()
const isMoney = (key) => MONEY_KEYS.has(lastPart(key)) || key.startsWith('funding.')

// Month amounts may be stored as an array or as "a,b,c" text.
function monthList(v) {
  if (Array.isArray(v)) return v
  if (typeof v === 'string' && /^-?\d+(,-?\d+)*$/.test(v)) return v.split(',').map(Number)
  return null
}

function show(key, v, names) {
  if (isEmpty(v)) return '（空）'
  const k = lastPart(key)
  if (typeof v === 'boolean') return k === 'has_plan' || k === 'has_schedule' ? (v ? '已制定' : '未制定') : v ? '是' : '否'
  if (k === 'months') {
    const m = monthList(v)
    if (m) return m.map((x, i) => `${i + 1}月 ${formatWan(x)}`).join('，') + '（万元）'
  }
  if (typeof v === 'number' && Number.isSafeInteger(v) && isMoney(key)) return `${formatWan(v)} 万元`
  if (typeof v === 'number' && PERSON_KEYS.has(k)) return names.person(v) || `#${v}`
  if (typeof v === 'number' && UNIT_KEYS.has(k)) return names.unit(v) || `#${v}`
  if (key.startsWith('levels_3456.') && typeof v === 'number') return names.person(v) || `#${v}`
  if (k === 'stage') return label('stages', v)
  if (k === 'category') return label('categories', v)
  if (k === 'kind') return label('org_unit_kinds', v)
  if (k === 'status') return (STATUS[v] && STATUS[v].name) || v
  if (k === 'rank') return label('ranks', v)
  if (k === 'levels' && Array.isArray(v)) return v.map((x) => label('levels', x)).join('、')
  if (k === 'roles' && Array.isArray(v)) return v.map((x) => label('roles', x)).join('、')
  if (k === 'team' && Array.isArray(v))
    return v.map((x) => (x && typeof x === 'object' ? x.display_name : typeof x === 'number' ? names.person(x) || `#${x}` : String(x))).join('、')
  if (Array.isArray(v)) {
    if (v.every((x) => x && typeof x === 'object' && 'name' in x))
      return v.map((x) => x.name + (x.planned_date ? `（${x.planned_date}）` : '')).join('、')
    return v.map((x) => (x && typeof x === 'object' ? JSON.stringify(x) : String(x))).join('、')
  }
  if (typeof v === 'object') return v.display_name || v.name || JSON.stringify(v)
  return String(v)
}

// Nested objects (funding, plan, levels_3456) are flattened one level so each changed part shows on its own row.
function flatten(obj) {
  const out = {}
  for (const [k, v] of Object.entries(obj || {})) {
    if (v && typeof v === 'object' && !Array.isArray(v) && ['funding', 'plan', 'levels_3456'].includes(k)) {
      for (const [k2, v2] of Object.entries(v)) out[`${k}.${k2}`] = v2
    } else out[k] = v
  }
  return out
}

const EXTRA_LABELS = { annual: '年度计划投资', months: '月度计划', year: '计划年度', reason: '原因' }
function labelOf(key) {
  if (FIELD_LABELS[key] || EXTRA_LABELS[key]) return FIELD_LABELS[key] || EXTRA_LABELS[key]
  const [a, b] = key.split('.')
  if (b !== undefined) {
    const sub = a === 'funding' ? label('funding_sources', b) : a === 'levels_3456' ? label('ranks', b) : EXTRA_LABELS[b] || FIELD_LABELS[b] || b
    return `${FIELD_LABELS[a] || a}·${sub}`
  }
  return key
}

/**
 * auditDiff(before, after, names) → [{key, label, before, after}]
 * names: { person(id) → display name, unit(id) → org unit name } for ids in the audit.
 * A creation (before null) lists only the fields that were filled in.
 */
export function auditDiff(before, after, names = {}) {
  const nm = { person: names.person || (() => ''), unit: names.unit || (() => '') }
  const b = flatten(before)
  const a = flatten(after)
  const creating = !before && !!after
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !IGNORE.has(k))
  const rows = []
  for (const k of keys) {
    if (same(b[k], a[k])) continue
    if (creating && (a[k] === 0 || a[k] === false)) continue
    // When both an id and its name are recorded, the name says it better.
    if (k.endsWith('_id') && (k.slice(0, -3) + '_name' in a || k.slice(0, -3) + '_name' in b)) continue
    rows.push({ key: k, label: labelOf(k), before: show(k, b[k], nm), after: show(k, a[k], nm) })
  }
  // Fields in the order a form shows them, not the server's key order.
  const rank = (k) => {
    const i = ORDER.indexOf(k.split('.')[0])
    return i < 0 ? ORDER.length : i
  }
  return rows.sort((x, y) => rank(x.key) - rank(y.key) || x.key.localeCompare(y.key))
}

export function actorName(e) {
  return !e.actor_name || e.actor_name === 'system' ? '系统' : e.actor_name
}
