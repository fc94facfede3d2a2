/**
 * Server-rendered HTML that is escaped by construction: every value interpolated into an
 * `html` template is escaped unless it is already `Html` (another template): there is no way
 * around escaping. Arrays render item by item; `null`, `undefined` and `false` render
 * nothing, so conditionals read naturally (`${cond && html`…`}`).
 */

/** A fragment of markup that is safe to place as is. Only `html` makes one. */
export interface Html {
  readonly markup: string
}

const made = new WeakSet<Html>()

function fragment(markup: string): Html {
  const value = Object.freeze({ markup })
  made.add(value)
  return value
}

export function isHtml(value: unknown): value is Html {
  return typeof value === 'object' && value !== null && made.has(value as Html)
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

/** Escapes text for element content and quoted attribute values alike. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c)
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return ''
  if (isHtml(value)) return value.markup
  if (Array.isArray(value)) return value.map(render).join('')
  // An object that merely looks like Html (e.g. `{ markup: '<script>' }` from user data) is
  // text: only fragments this module made are trusted.
  if (typeof value === 'object') return escapeText(JSON.stringify(value) ?? '')
  return escapeText(String(value))
}

export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): Html {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '')
  return fragment(out)
}
