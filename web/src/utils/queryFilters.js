// List filters kept in the URL's query (so a filtered page can be bookmarked, shared and reloaded): the filter
// form `f` (one key per name in `names`), and the three moves every filtered page makes.
import { reactive } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useQueryFilters(names) {
  const route = useRoute()
  const router = useRouter()
  const f = reactive(Object.fromEntries(names.map((k) => [k, ''])))
  // Merges `extra` into the query, dropping empty values.
  function go(extra) {
    const q = { ...route.query, ...extra }
    for (const k of Object.keys(q)) if (q[k] === '' || q[k] === undefined || q[k] === null) delete q[k]
    router.replace({ query: q })
  }
  // The form's values into the query, back to the first page.
  function apply() {
    const q = {}
    for (const k of names) q[k] = f[k] || undefined
    go({ ...q, page: undefined })
  }
  // Clears the form and the query.
  function reset() {
    for (const k of names) f[k] = ''
    router.replace({ query: {} })
  }
  // The form from the query (on load and on navigation).
  function fromQuery() {
    for (const k of names) f[k] = typeof route.query[k] === 'string' ? route.query[k] : ''
  }
  return { route, router, f, go, apply, reset, fromQuery }
}
