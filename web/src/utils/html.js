// Text placed into HTML that a chart builds (ECharts tooltip formatters return HTML strings): names, notes and
// any other value people typed must pass through escapeHtml, so "<img onerror=…>" shows as text.
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c])
}
