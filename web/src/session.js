// Who is signed in, the CSRF token, and the region's enumerations (GET /meta), loaded once per sign-in.
import { reactive } from 'vue'
import { api, setCsrfToken } from './api'

export const session = reactive({
  user: null,
  meta: null,
  profile: null, // the county profile in force (GET /rules/profile): its checklist of "ones" and its words
})

let metaPromise = null
const caches = new Map()

function accept(data) {
  session.user = data.user
  setCsrfToken(data.csrf_token)
}

export async function login(username, password) {
  const data = await api.post('/auth/login', { username, password }, { silent: true })
  accept(data)
  await loadMeta(true)
  return data.user
}

// Restores the session from the cookie; false when nobody is signed in.
export async function restore() {
  if (session.user) return true
  try {
    const data = await api.get('/auth/me', undefined, { silent: true, authRedirect: false })
    accept(data)
    await loadMeta()
    return true
  } catch (e) {
    if (e.status === 401) return false
    throw e
  }
}

export async function logout() {
  try {
    await api.post('/auth/logout', undefined, { silent: true, authRedirect: false })
  } finally {
    forget()
  }
}

// Drop everything tied to the old session (on sign-out or expiry).
export function forget() {
  session.user = null
  session.meta = null
  session.profile = null
  metaPromise = null
  caches.clear()
  setCsrfToken('')
}

export function loadMeta(force = false) {
  if (!metaPromise || force) {
    // The county profile comes with the meta, once per session; a page works on the defaults without it.
    const profile = api.get('/rules/profile', undefined, { silent: true, authRedirect: false }).then(
      (r) => (session.profile = r.body || null),
      () => null,
    )
    metaPromise = Promise.all([api.get('/meta'), profile]).then(([m]) => {
      session.meta = m
      return m
    })
    metaPromise.catch(() => {
      metaPromise = null
    })
  }
  return metaPromise
}

// Small per-session cache for pickers (org units, people).
export function cached(key, loader) {
  if (!caches.has(key)) {
    const p = loader()
    caches.set(key, p)
    p.catch(() => caches.delete(key))
  }
  return caches.get(key)
}
export function invalidate(prefix) {
  for (const k of [...caches.keys()]) if (k.startsWith(prefix)) caches.delete(k)
}

export const orgUnits = (kind) =>
  cached('org-units:' + (kind || ''), () => api.get('/org-units', kind ? { kind } : undefined).then((r) => r.items || []))
export const people = (query = {}) =>
  cached('people:' + JSON.stringify(query), () => api.get('/people', query).then((r) => r.items || []))

// Roles
export function hasRole(...roles) {
  const mine = (session.user && session.user.roles) || []
  return roles.some((r) => mine.includes(r))
}
export const canManageOrg = () => hasRole('admin', 'hq')
export const canReadAudit = () => hasRole('admin', 'hq')
export const canListUsers = () => hasRole('admin', 'hq')
export const canManageUsers = () => hasRole('admin')
// A city's (xxxx00) or province's (xx0000) administrator adds counties of its scope.
export const canAddCounty = () => hasRole('admin') && !!session.user && /00$/.test(session.user.region_code || '')
export const canCreateProject = () =>
  hasRole('admin', 'hq') || (hasRole('unit') && !!(session.user && session.user.org_unit_id))
// The server decides; this only hides buttons that would be refused.
export function canEditProject(p) {
  if (!p) return false
  if (typeof p.can_edit === 'boolean') return p.can_edit
  if (hasRole('admin', 'hq')) return true
  return hasRole('unit') && !!session.user.org_unit_id && p.unit_id === session.user.org_unit_id
}

// Labels from /meta, with the documented defaults as fallback.
const FALLBACK = {
  roles: { admin: '系统管理员', hq: '总指挥部办公室', leader: '县级领导', unit: '责任单位', liaison: '项目联络员', enterprise: '企业', inspector: '督查组', viewer: '只读' },
  ranks: { county_leader: '县级领导', unit_principal: '单位主要负责人', unit_leader: '单位班子成员', section_chief: '股室负责人', staff: '工作人员' },
  org_unit_kinds: { hq: '总指挥部办公室', department: '责任单位(部门)', township: '乡镇(街道)', approval: '审批部门', park: '园区', group: '专班(专项工作组)' },
  categories: { industrial: '产业项目', infrastructure: '基础设施', social: '社会民生', agriculture: '农业农村', ecology: '生态环保', other: '其他' },
  levels: { province: '省重点', city: '市重点', county: '县重点' },
  funding_sources: { central_budget: '中央预算内', special_bonds: '专项债', self_raised: '企业自筹', bank_loans: '银行贷款', other: '其他' },
  stages: { planning: '策划包装', prereview: '招商预审', signing: '谈判签约', siting: '规划选址', construction: '落地开工', review: '履约评估', operation: '竣工投产运营' },
}

export function options(kind) {
  const list = session.meta && session.meta[kind]
  if (Array.isArray(list) && list.length) return list
  return Object.entries(FALLBACK[kind] || {}).map(([key, name]) => ({ key, name }))
}
export function label(kind, key) {
  if (key === null || key === undefined || key === '') return '—'
  const hit = options(kind).find((o) => o.key === key)
  return hit ? hit.name : key
}

export const STATUS = {
  active: { name: '在建/推进中', type: 'success' },
  suspended: { name: '暂停', type: 'warning' },
  cancelled: { name: '已取消', type: 'info' },
}

// The default "five ones" (五个一) as missing_ones keys; the county's own list comes from its profile.
export const FIVE_ONES = [
  { key: 'leader', name: '一名牵头领导（项目长）' },
  { key: 'unit', name: '一个责任单位' },
  { key: 'team', name: '一个工作专班' },
  { key: 'plan', name: '一套工作方案' },
  { key: 'schedule', name: '一张进度表' },
]
export const MISSING_SHORT = { leader: '项目长', unit: '责任单位', team: '专班', plan: '工作方案', schedule: '进度表' }

// The words the county uses on screen (profile vocabulary): leader, unit, team, steward, police, inspector, ones,
// chain_chief. The defaults are the ones the product shipped with.
const WORDS = { leader: '项目长', unit: '责任单位', team: '工作专班', steward: '项目管家', police: '项目警官', inspector: '纪检监察员', ones: '五个一', chain_chief: '链长' }
export function word(key) {
  const v = session.profile && session.profile.vocabulary
  return (v && v[key]) || WORDS[key] || key
}
// The name of the county's checklist ("五个一", "四个一" …).
export function onesName() {
  const o = session.profile && session.profile.ones
  return (o && o.name) || word('ones')
}
// The county's checklist items [{key, name, auto}] (from the meta), else the default five.
export function checklistItems() {
  const list = session.meta && session.meta.missing_ones
  if (Array.isArray(list) && list.length) return list
  return FIVE_ONES.map((o) => ({ ...o, auto: !['plan', 'schedule'].includes(o.key) }))
}
// A short name for a missing item key.
export function missingName(key) {
  const hit = checklistItems().find((o) => o.key === key)
  return hit ? hit.name : MISSING_SHORT[key] || key
}
