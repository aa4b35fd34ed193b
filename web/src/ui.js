// Small shared UI state: phone layout detection and the page title shown in the breadcrumb.
import { ref } from 'vue'

const query = typeof window !== 'undefined' ? window.matchMedia('(max-width: 767px)') : null
export const isMobile = ref(query ? query.matches : false)
if (query) query.addEventListener('change', (e) => (isMobile.value = e.matches))

// A view may set this (e.g. to the project name); the layout resets it on every navigation.
export const pageTitle = ref('')
