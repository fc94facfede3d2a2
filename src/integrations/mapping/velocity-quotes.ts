/**
 * Velocity 1.7 writes a quote inside a string literal by doubling it: `"say ""hi"""` is
 * `say "hi"`, `'it''s'` is `it's`. velocityjs knows only the backslash form (`\"`, `\'`), so a
 * template that does not parse is rewritten to it and parsed again: only string literals inside
 * a directive's or a call's parentheses (`#set(…)`, `#if(…)`, `$x.m(…)`) are touched, never
 * template text, and the line numbers stay as they were.
 */

/** A `(` that opens the arguments of `#name`, `#{name}` or a `$reference.method`. */
const OPENER = /(?:#\{?[A-Za-z][\w-]*\}?\s*|\$!?\{?[A-Za-z][\w.-]*)$/

function opensArguments(template: string, at: number): boolean {
  return OPENER.test(template.slice(Math.max(0, at - 200), at))
}

/** The template with doubled quotes in argument literals written as `\"` and `\'`. */
export function backslashDoubledQuotes(template: string): string {
  let out = ''
  let depth = 0
  let i = 0
  while (i < template.length) {
    const c = template[i] as string
    if (depth === 0) {
      if (c === '(' && opensArguments(template, i)) depth = 1
      out += c
      i++
      continue
    }
    if (c === '"' || c === "'") {
      let j = i + 1
      out += c
      while (j < template.length) {
        const d = template[j] as string
        if (d === c) {
          if (template[j + 1] !== c) break
          out += `\\${c}`
          j += 2
          continue
        }
        out += d
        j++
      }
      out += c
      i = j + 1
      continue
    }
    if (c === '(') depth++
    else if (c === ')') depth--
    out += c
    i++
  }
  return out
}
