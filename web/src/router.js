import { createRouter, createWebHistory } from 'vue-router'
import { ElMessage } from 'element-plus'
import { session, restore, forget, hasRole } from './session'
import { api, setUnauthenticatedHandler } from './api'
import { refreshUnread, refreshLetters } from './inbox'
import MainLayout from './layouts/MainLayout.vue'
import Login from './views/Login.vue'

const routes = [
  { path: '/login', name: 'login', component: Login, meta: { public: true, title: '登录' } },
  { path: '/setup', name: 'setup', component: () => import('./views/Setup.vue'), meta: { public: true, title: '首次使用' } },
  {
    path: '/',
    component: MainLayout,
    children: [
      { path: '', name: 'home', component: () => import('./views/Dashboard.vue'), meta: { title: '首页', crumbs: [] } },
      { path: 'projects', name: 'projects', component: () => import('./views/ProjectList.vue'), meta: { title: '项目列表', crumbs: ['项目库'] } },
      { path: 'projects/mine', name: 'projects-mine', component: () => import('./views/ProjectList.vue'), props: { mine: true }, meta: { title: '我的项目', crumbs: ['项目库'] } },
      { path: 'projects/new', name: 'project-new', component: () => import('./views/ProjectForm.vue'), meta: { title: '新建项目', crumbs: ['项目库'] } },
      { path: 'projects/:id(\\d+)', name: 'project', component: () => import('./views/ProjectDetail.vue'), props: true, meta: { title: '项目详情', crumbs: ['项目库', { name: '项目列表', to: '/projects' }] } },
      { path: 'projects/:id(\\d+)/edit', name: 'project-edit', component: () => import('./views/ProjectForm.vue'), props: true, meta: { title: '编辑项目', crumbs: ['项目库', { name: '项目列表', to: '/projects' }] } },
      { path: 'org/units', name: 'org-units', component: () => import('./views/OrgUnits.vue'), meta: { title: '单位', crumbs: ['组织机构'], roles: ['admin', 'hq'] } },
      { path: 'org/users', name: 'org-users', component: () => import('./views/Users.vue'), meta: { title: '人员', crumbs: ['组织机构'], roles: ['admin', 'hq'] } },
      { path: 'org/add-county', name: 'add-county', component: () => import('./views/AddCounty.vue'), meta: { title: '添加县', crumbs: ['组织机构'], roles: ['admin'] } },
      { path: 'county-profile', name: 'county-profile', component: () => import('./views/CountyProfile.vue'), meta: { title: '县情配置', crumbs: [], roles: ['admin', 'hq'] } },
      { path: 'reports', name: 'report-desk', component: () => import('./views/ReportDesk.vue'), meta: { title: '填报管理', crumbs: ['进度填报'], roles: ['admin', 'hq'] } },
      { path: 'lights', name: 'lights', component: () => import('./views/Lights.vue'), meta: { title: '亮灯预警', crumbs: ['调度'] } },
      { path: 'problems', name: 'problems', component: () => import('./views/Problems.vue'), meta: { title: '问题清单', crumbs: ['调度'] } },
      { path: 'problems/:id(\\d+)', name: 'problem', component: () => import('./views/ProblemDetail.vue'), props: true, meta: { title: '问题详情', crumbs: ['调度', { name: '问题清单', to: '/problems' }] } },
      { path: 'letters', name: 'letters', component: () => import('./views/Letters.vue'), meta: { title: '函件', crumbs: ['调度'] } },
      { path: 'consultation', name: 'consultation', component: () => import('./views/Consultation.vue'), meta: { title: '每月必商', crumbs: ['调度'], roles: ['admin', 'hq', 'inspector', 'viewer', 'leader'] } },
      { path: 'lists', name: 'lists', component: () => import('./views/Lists.vue'), meta: { title: '四张清单', crumbs: ['调度'], roles: ['admin', 'hq', 'inspector', 'viewer', 'leader'] } },
      // commitments and quarterly lists
      { path: 'commitments', name: 'commitments', component: () => import('./views/Commitments.vue'), meta: { title: '承诺与清单', crumbs: ['调度'], roles: ['admin', 'hq', 'inspector', 'viewer', 'leader', 'unit', 'liaison'] } },
      { path: 'board/gantt', name: 'board-gantt', component: () => import('./views/BoardGantt.vue'), meta: { title: '挂图作战', crumbs: ['调度'] } },
      { path: 'reports/summary', name: 'report-summary', component: () => import('./views/ReportSummary.vue'), meta: { title: '汇总表', crumbs: ['进度填报'] } },
      { path: 'statistics/gaps', name: 'statistics-gaps', component: () => import('./views/StatisticsGaps.vue'), meta: { title: '入库纳统核对', crumbs: ['进度填报'] } },
      { path: 'visits', name: 'visits', component: () => import('./views/Visits.vue'), meta: { title: '每周必访', crumbs: [], roles: ['admin', 'hq', 'leader'] } },
      { path: 'inbox', name: 'inbox', component: () => import('./views/Inbox.vue'), meta: { title: '消息中心', crumbs: [] } },
      { path: 'webhooks', name: 'webhooks', component: () => import('./views/Webhooks.vue'), meta: { title: '消息推送', crumbs: [], roles: ['admin'] } },
      { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { title: '审计日志', crumbs: [], roles: ['admin', 'hq'] } },
      // --- rankings (挂榜排名), five accounts, show-results, yellow cards and quarterly awards
      { path: 'rankings', name: 'rankings', component: () => import('./views/RankingBoard.vue'), meta: { title: '挂榜排名', crumbs: ['排名考核'] } },
      { path: 'ledgers', name: 'ledgers', component: () => import('./views/Ledgers.vue'), meta: { title: '五账管理', crumbs: ['排名考核'], roles: ['admin', 'hq', 'inspector', 'viewer', 'leader', 'unit'] } },
      { path: 'show-results', name: 'show-results', component: () => import('./views/ShowResults.vue'), meta: { title: '晒实绩评议', crumbs: ['排名考核'] } },
      { path: 'yellow-cards', name: 'yellow-cards', component: () => import('./views/YellowCards.vue'), meta: { title: '黄牌名单', crumbs: ['排名考核'] } },
      { path: 'awards', name: 'awards', component: () => import('./views/Awards.vue'), meta: { title: '季度奖励', crumbs: ['排名考核'] } },
      // inspection bulletins (督查通报) and the ten-day inspection (每旬必督)
      { path: 'inspections', name: 'inspections', component: () => import('./views/Inspections.vue'), meta: { title: '每旬必督', crumbs: ['调度'], roles: ['admin', 'hq', 'inspector', 'viewer', 'leader'] } },
      { path: 'bulletins', name: 'bulletins', component: () => import('./views/Bulletins.vue'), meta: { title: '督查通报', crumbs: ['调度'] } },
      { path: 'bulletins/:id(\\d+)', name: 'bulletin', component: () => import('./views/BulletinDetail.vue'), props: true, meta: { title: '通报详情', crumbs: ['调度', { name: '督查通报', to: '/bulletins' }] } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue'), meta: { title: '页面不存在', crumbs: [] } },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

let firstRunChecked = false
router.beforeEach(async (to) => {
  let signedIn = !!session.user
  if (!signedIn) {
    try {
      signedIn = await restore()
    } catch {
      signedIn = false
    }
  }
  // A server with no county yet opens on the first-run page instead of a sign-in nobody can pass.
  if (!signedIn && to.name === 'login' && !firstRunChecked) {
    firstRunChecked = true
    try {
      const s = await api.get('/setup', undefined, { silent: true, authRedirect: false })
      if (!s.configured) return { name: 'setup' }
    } catch {
      // The sign-in page will show what is wrong.
    }
  }
  if (to.meta.public) {
    // Someone already signed in has no business on the sign-in page.
    if (to.name === 'login' && signedIn) return typeof to.query.redirect === 'string' ? to.query.redirect : '/'
    return true
  }
  if (!signedIn) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (to.meta.roles && !hasRole(...to.meta.roles)) {
    ElMessage.warning('您的角色无权访问该页面')
    return { name: 'home' }
  }
  return true
})

router.afterEach((to) => {
  if (!to.meta.public) {
    refreshUnread()
    refreshLetters()
  }
  document.title = `${to.meta.title ? to.meta.title + ' - ' : ''}项目管家 · 重点项目建设调度平台`
})

let redirecting = false
setUnauthenticatedHandler(() => {
  if (redirecting) return
  redirecting = true
  const current = router.currentRoute.value
  forget()
  if (current.name !== 'login') {
    ElMessage.warning({ message: '登录已失效，请重新登录', grouping: true })
    router.replace({ name: 'login', query: { redirect: current.fullPath } }).finally(() => (redirecting = false))
  } else redirecting = false
})
