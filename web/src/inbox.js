// The unread count in the header: fetched on sign-in, on every navigation and gently every two minutes while the
// page is visible; pages that read messages set it from the server's answer.
import { ref } from 'vue'
import { api } from './api'
import { session } from './session'

export const unread = ref(0)
const POLL_MS = 120_000
let timer = null
let inflight = null

export function refreshUnread() {
  if (!session.user) {
    unread.value = 0
    return Promise.resolve(0)
  }
  if (!inflight) {
    inflight = api
      .get('/inbox/unread', undefined, { silent: true })
      .then((r) => (unread.value = r.unread || 0))
      .catch(() => unread.value)
      .finally(() => (inflight = null))
  }
  return inflight
}

export function setUnread(n) {
  if (typeof n === 'number') unread.value = n
}

export function startPolling() {
  if (timer || typeof window === 'undefined') return
  timer = setInterval(() => {
    if (document.visibilityState === 'visible') {
      refreshUnread()
      refreshLetters()
    }
  }, POLL_MS)
}
export function stopPolling() {
  if (timer) clearInterval(timer)
  timer = null
}

export const KIND_NAMES = {
  report_returned: { name: '报告退回', type: 'danger' },
  report_reminder: { name: '催报', type: 'warning' },
  report_overdue: { name: '逾期提醒', type: 'warning' },
  letter_received: { name: '收到函件', type: 'danger' },
  letter_answered: { name: '函件答复', type: 'success' },
  problem_raised: { name: '新问题', type: 'warning' },
  problem_assigned: { name: '交办问题', type: 'danger' },
  problem_solved: { name: '问题办结', type: 'success' },
  problem_rejected: { name: '退回重办', type: 'danger' },
  escalated: { name: '问题提级', type: 'danger' },
  deadline_near: { name: '临近期限', type: 'warning' },
  overdue: { name: '已超期', type: 'danger' },
}
export function kindOf(kind) {
  return KIND_NAMES[kind] || { name: '通知', type: 'info' }
}

// Open letters (三函) waiting in my unit's or my own inbox: shown beside 函件 in the menu.
export const openLetters = ref(0)
let lettersInflight = null
export function refreshLetters() {
  if (!session.user) {
    openLetters.value = 0
    return Promise.resolve(0)
  }
  if (!lettersInflight) {
    lettersInflight = api
      .get('/letters/inbox', undefined, { silent: true })
      .then((r) => {
        const c = (r && r.counts) || {}
        const open = Number.isInteger(c.open) ? c.open : ((r && r.items) || []).filter((l) => ['issued', 'signed'].includes(l.status)).length
        return (openLetters.value = open)
      })
      .catch(() => openLetters.value)
      .finally(() => (lettersInflight = null))
  }
  return lettersInflight
}
