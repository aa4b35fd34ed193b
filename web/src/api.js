// The one HTTP client of the UI: same-origin cookies, CSRF header on writes, 401 → sign-in page,
// and server error messages shown to the user.
import { ElMessage } from 'element-plus'

const BASE = '/api/v1'
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

let csrfToken = ''
let onUnauthenticated = () => {}

export function setCsrfToken(token) {
  csrfToken = token || ''
}
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {}
    super(e.message || `请求失败（HTTP ${status}）`)
    this.status = status
    this.code = e.code || 'http_' + status
    this.fields = Array.isArray(e.fields) ? e.fields : []
    this.cells = Array.isArray(e.cells) ? e.cells : []
    this.body = body
  }
  // {fieldName: 'reason text'} for el-form-item :error
  fieldErrors() {
    const out = {}
    for (const f of this.fields) if (f && f.field) out[f.field] = reasonText(f.reason)
    return out
  }
}

// Field error reasons are machine codes; these are their words.
const REASONS = {
  required: '必填',
  too_weak: '密码强度不足：至少 8 位，且包含大写字母、小写字母、数字、符号中的三类',
  incorrect: '原密码不正确',
  invalid: '格式不正确',
  format: '格式不正确',
  too_long: '内容过长',
  too_many: '条目过多',
  too_large: '数值过大',
  too_short: '内容过短',
  duplicate: '已存在',
  exists: '已存在',
  not_found: '不存在',
  out_of_range: '超出范围',
  negative: '不能为负数',
  unknown: '取值无效',
  invalid_date: '日期格式应为 YYYY-MM-DD',
  sum_mismatch: '各月合计必须等于年度计划',
  stale: '数据已被他人修改，请刷新后重试',
  must_be_integer: '必须是整数',
  must_be_number: '必须是数字',
  must_be_string: '必须是文本',
  must_be_boolean: '必须是是/否',
  must_be_array: '必须是列表',
  must_be_object: '格式不正确',
  must_be_array_of_ids: '必须是人员列表',
  must_be_non_negative_integers: '必须是非负整数',
  in_future: '不能晚于今天',
  before_start: '不能早于开工日期',
  exceeds_total: '资金来源合计超过总投资',
  required_for_stage: '当前阶段必须填写',
  stage_order: '阶段顺序不正确',
  unchanged: '没有变化',
  exceeds_total_investment: '累计完成投资将超过项目总投资，请先修改项目总投资',
  future_period: '不能填报尚未开始的期次',
  period_closed: '该期已关账，不能再填报；如需更正请总指挥部重新开放',
  wrong_cadence: '期次与本项目的填报周期不符',
  not_ended: '该期尚未结束',
  future_date: '不能晚于今天',
  visit_limit: '该项目本周走访记录已达上限',
  invalid_hash: '照片无效，请重新上传',
}
export function reasonText(reason) {
  if (!reason) return '不正确'
  return REASONS[reason] || reason
}

function buildQuery(query) {
  if (!query) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x))
    else p.append(k, String(v))
  }
  const s = p.toString()
  return s ? '?' + s : ''
}

export function apiUrl(path, query) {
  return BASE + path + buildQuery(query)
}

/**
 * request('GET', '/projects', { query, body, raw, contentType, silent, responseType })
 * silent: true suppresses the ElMessage (the caller shows the error itself).
 * authRedirect: false keeps a 401 from sending the user to the sign-in page.
 * Resolves to parsed JSON (null for 204), or a Blob when responseType is 'blob'.
 */
export async function request(method, path, opts = {}) {
  const { query, body, raw, contentType, silent = false, responseType = 'json', authRedirect = true } = opts
  const headers = { Accept: responseType === 'blob' ? '*/*' : 'application/json' }
  let payload
  if (raw !== undefined) {
    payload = raw
    headers['Content-Type'] = contentType || 'application/octet-stream'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json; charset=utf-8'
  }
  if (WRITE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res
  try {
    res = await fetch(apiUrl(path, query), { method, headers, body: payload, credentials: 'same-origin' })
  } catch (err) {
    const e = new ApiError(0, { error: { code: 'network', message: '无法连接服务器，请检查网络后重试' } })
    if (!silent) ElMessage.error(e.message)
    throw e
  }

  if (res.ok) {
    if (res.status === 204) return null
    if (responseType === 'blob') return { blob: await res.blob(), filename: filenameOf(res) }
    const text = await res.text()
    return text ? JSON.parse(text) : null
  }

  let data = null
  try {
    data = await res.json()
  } catch {
    data = null
  }
  const err = new ApiError(res.status, data)
  // A stale CSRF token (e.g. the session was renewed in another tab): fetch the current one and retry once.
  if (res.status === 403 && err.code === 'csrf_failed' && !opts.retried) {
    let me = null
    try {
      me = await request('GET', '/auth/me', { silent: true })
    } catch (e2) {
      if (e2.status === 401) throw e2 // already sent to the sign-in page
    }
    if (me && me.csrf_token) {
      setCsrfToken(me.csrf_token)
      return request(method, path, { ...opts, retried: true })
    }
  }
  const isLogin = path === '/auth/login'
  if (res.status === 401 && !isLogin && authRedirect) {
    // Session missing or expired: back to the sign-in page (the handler keeps where we were).
    onUnauthenticated(err)
    throw err
  }
  if (!silent) ElMessage({ type: 'error', message: err.message, grouping: true, duration: 4000 })
  throw err
}

function filenameOf(res) {
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : ''
}

export const api = {
  get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts = {}) => request('PATCH', path, { ...opts, body }),
  del: (path, opts = {}) => request('DELETE', path, opts),
}

// Fetch a file through the API (so errors are shown, not navigated to) and save it.
export async function download(path, query, fallbackName) {
  const { blob, filename } = await request('GET', path, { query, responseType: 'blob' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename || fallbackName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}
