// Dates and times: the API speaks ISO; the county lives in Asia/Shanghai.
const TZ = 'Asia/Shanghai'

const dtf = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
})

function parts(d) {
  const o = {}
  for (const p of dtf.formatToParts(d)) o[p.type] = p.value
  if (o.hour === '24') o.hour = '00'
  return o
}

// "2026-11-23T10:00:00Z" → "2026-11-23 18:00"
export function formatTime(iso, withSeconds = false) {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  const o = parts(d)
  return `${o.year}-${o.month}-${o.day} ${o.hour}:${o.minute}${withSeconds ? ':' + o.second : ''}`
}

export function formatDate(s) {
  return s ? String(s).slice(0, 10) : '—'
}

// Today as YYYY-MM-DD in the county's time zone.
export function today() {
  const o = parts(new Date())
  return `${o.year}-${o.month}-${o.day}`
}

export function relativeTime(iso) {
  if (!iso) return ''
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return ''
  const s = Math.round((Date.now() - t) / 1000)
  if (s < 60) return '刚刚'
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`
  if (s < 86400) return `${Math.floor(s / 3600)} 小时前`
  if (s < 86400 * 30) return `${Math.floor(s / 86400)} 天前`
  return formatTime(iso).slice(0, 10)
}

// Audit actions are machine words such as "project.create" or "update"; these are their names.
const ACTIONS = {
  create: '新建', update: '修改', delete: '删除', login: '登录', logout: '退出登录', login_failed: '登录失败',
  password: '修改密码', change_password: '修改密码', import: '导入', export: '导出', stage: '推进阶段',
  status: '变更状态', team: '调整责任体系', nodes: '调整节点计划', plan: '调整投资计划', disable: '停用', enable: '启用',
  lock: '账户锁定', demo: '演示数据', import_create: '导入新建', import_update: '导入修改', setup: '建立',
  return: '退回', close: '关闭', reopen: '重新开放', remind: '催报', upload: '上传', submit: '报送',
  issue: '印发', escalate: '升级', revise: '修订', confirm: '确认', rate: '评议', mark: '打分', decide: '决定',
  accept: '受理', assign: '交办', start: '开始办理', feedback: '反馈', solve: '办结', reject: '退回重办',
  merge: '合并', sign: '签收', answer: '答复', discard: '作废', done: '完成', set_up: '建账', sort: '理账', reconcile: '对账', hand_in: '交账', settle: '算账',
}
const ENTITIES = {
  project: '项目', projects: '项目', user: '用户', users: '用户', org_unit: '单位', org_units: '单位', session: '会话',
  auth: '认证', region: '行政区划', audit: '审计', county: '县', rule_set: '规则', progress_report: '进度报告',
  report_period: '填报期次', project_statistics: '入库纳统', leader_visit: '走访记录', photo: '照片',
  inbox_message: '消息', demo_activity: '演示数据',
  letter: '函件', summons: '约谈', problem: '问题', consultation: '每月必商', webhook: '消息推送',
  bulletin: '督查通报', inspection_plan: '旬督查计划', inspection_visit: '督查记录', inspection_finding: '督查发现',
  ranking: '月度排名', ledger: '五账', show_results: '晒实绩', drill: '现场拉练', awards: '季度奖励',
  commitment: '承诺书', attack_item: '攻坚事项', review_meeting: '调度讲评会',
}
export function actionText(action) {
  if (!action) return '—'
  const key = String(action)
  if (ACTIONS[key]) return ACTIONS[key]
  const parts = key.split(/[.:/]/)
  if (parts.length > 1) {
    const [ent, ...rest] = parts
    const verb = rest.join('.')
    return `${ENTITIES[ent] || ent}·${ACTIONS[verb] || verb}`
  }
  return key
}
export function entityText(entity) {
  return ENTITIES[entity] || entity || '—'
}

// Field labels used by history / audit diffs.
export const FIELD_LABELS = {
  name: '项目名称', code: '项目代码', category: '项目类别', industry: '所属产业', chain: '产业链', enterprise_name: '业主单位',
  enterprise_credit_code: '统一社会信用代码', township_id: '所在乡镇', township_name: '所在乡镇', address: '建设地点', lng: '经度', lat: '纬度',
  levels: '项目级别', total_investment: '总投资', funding: '资金来源', signed_date: '签约日期', planned_start: '计划开工',
  actual_start: '实际开工', planned_completion: '计划竣工', planned_production: '计划投产', actual_completion: '实际竣工', production_date: '投产日期',
  content: '建设内容及规模', stage: '阶段', stage_name: '阶段', status: '状态', status_reason: '状态原因', unit_id: '责任单位',
  unit_name: '责任单位', leader_id: '项目长', leader_name: '项目长', steward_id: '项目管家', steward_name: '项目管家',
  police_id: '项目警官', police_name: '项目警官', inspector_id: '纪检监察员', inspector_name: '纪检监察员', liaison_id: '联络员',
  liaison_name: '联络员', team: '专班成员', levels_3456: '3456 四级责任', has_plan: '工作方案', has_schedule: '进度表',
  nodes: '节点计划', plan: '投资计划', version: '版本', username: '用户名', display_name: '姓名', phone: '电话', roles: '角色',
  rank: '职级', org_unit_id: '所属单位', disabled: '停用', short_name: '简称', kind: '类型', sort: '排序', note: '备注', date: '日期',
  password: '密码', missing_ones: '五个一缺项', checks: '清单落实', attempts: '失败次数', ip: 'IP 地址', locked_until: '锁定至',
  investment: '本期完成投资', progress: '形象进度描述', percent: '形象进度(%)', workers: '在岗人数', machines: '机械设备',
  next_plan: '下期计划', problems: '存在问题', photos: '现场照片', return_reason: '退回原因', period: '期次',
  registered: '是否入库', months: '入库投资', visitors: '走访人员', findings: '发现问题', project_id: '项目',
}
