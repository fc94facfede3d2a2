// Output escaping by construction: every value interpolated into `html` is escaped unless it
// is itself the result of `html` (a fragment built the same way). Nothing else makes markup.

const SAFE = Symbol('html')

export interface Html {
  readonly [SAFE]: string
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeText(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map(render).join('')
  if (typeof value === 'object' && value !== null && SAFE in value) return (value as Html)[SAFE]
  if (value === undefined || value === null || value === false) return ''
  return escapeText(value)
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!
  })
  return { [SAFE]: out }
}

export function toText(fragment: Html): string {
  return fragment[SAFE]
}
