// Client-side checks mirroring the server's rules (the server still decides).

export function passwordClasses(pw = '') {
  return [
    { name: '小写字母', ok: /[a-z]/.test(pw) },
    { name: '大写字母', ok: /[A-Z]/.test(pw) },
    { name: '数字', ok: /\d/.test(pw) },
    { name: '符号', ok: /[^A-Za-z0-9]/.test(pw) },
  ]
}

// null when the password is strong enough, else the reason in words.
export function passwordProblem(pw = '') {
  if (pw.length < 8) return '密码至少 8 位'
  const n = passwordClasses(pw).filter((c) => c.ok).length
  if (n < 3) return '需包含大写字母、小写字母、数字、符号中的至少三类'
  return null
}

// 统一社会信用代码 (GB 32100-2015): 18 characters, no I, O, Z, S, V.
export const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/
// 投资项目统一代码
export const PROJECT_CODE = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/
export const USERNAME = /^[A-Za-z0-9_.-]{2,32}$/
