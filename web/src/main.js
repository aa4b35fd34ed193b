import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { ArrowDown, CircleCheckFilled, CircleCloseFilled, Connection, Expand, Files, Histogram, Location, WarningFilled } from '@element-plus/icons-vue'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router'

const app = createApp(App)
app.use(ElementPlus, { locale: zhCn })
// Icons named in templates (or by string) without a local import; components import the rest themselves.
for (const [name, comp] of Object.entries({ ArrowDown, CircleCheckFilled, CircleCloseFilled, Connection, Expand, Files, Histogram, Location, WarningFilled }))
  app.component(name, comp)
app.use(router)
app.mount('#app')
