// Tokens of the SOQL subset: identifiers (dotted paths stay one token), quoted strings,
// numbers, date and datetime literals, operators and punctuation.

import { errors } from './rest-errors.ts'

export type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'datetime'; value: string; pos: number }
  | { kind: 'op'; text: string; pos: number }
  | { kind: 'eof'; pos: number }

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/
const DATE = /^\d{4}-\d{2}-\d{2}(?![\d:T])/
const NUMBER = /^-?\d+(\.\d+)?/
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(:\d+)?/
const OPS = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',']

// Backslash escapes inside string literals; `\%` and `\_` stay escaped for LIKE to see.
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  "'": "'",
  '"': '"',
  '\\': '\\',
}

export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return '<EOF>'
    case 'string':
      return `'${t.value}'`
    case 'number':
      return t.text
    case 'date':
    case 'datetime':
      return t.value
    default:
      return t.text
  }
}

export function unexpected(t: Token): Error {
  return errors.malformedQuery(`unexpected token: ${describeToken(t)} (column ${t.pos + 1})`)
}

function readString(src: string, start: number): { value: string; end: number } {
  let value = ''
  let i = start + 1
  while (i < src.length) {
    const ch = src.charAt(i)
    if (ch === "'") return { value, end: i + 1 }
    if (ch === '\\') {
      const next = src.charAt(i + 1)
      if (next === '%' || next === '_') value += '\\' + next
      else if (next in ESCAPES) value += ESCAPES[next]
      else throw errors.malformedQuery(`invalid escape sequence \\${next} (column ${i + 1})`)
      i += 2
      continue
    }
    value += ch
    i++
  }
  throw errors.malformedQuery(`unterminated string literal (column ${start + 1})`)
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < src.length) {
    const rest = src.slice(i)
    const ws = /^\s+/.exec(rest)
    if (ws) {
      i += ws[0].length
      continue
    }
    if (rest.startsWith("'")) {
      const { value, end } = readString(src, i)
      tokens.push({ kind: 'string', value, pos: i })
      i = end
      continue
    }
    const dt = DATETIME.exec(rest)
    if (dt) {
      tokens.push({ kind: 'datetime', value: dt[0], pos: i })
      i += dt[0].length
      continue
    }
    const date = DATE.exec(rest)
    if (date) {
      tokens.push({ kind: 'date', value: date[0], pos: i })
      i += date[0].length
      continue
    }
    const num = NUMBER.exec(rest)
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), text: num[0], pos: i })
      i += num[0].length
      continue
    }
    const ident = IDENT.exec(rest)
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos: i })
      i += ident[0].length
      continue
    }
    const op = OPS.find((o) => rest.startsWith(o))
    if (!op) throw errors.malformedQuery(`unexpected character '${rest.charAt(0)}' (column ${i + 1})`)
    tokens.push({ kind: 'op', text: op, pos: i })
    i += op.length
  }
  tokens.push({ kind: 'eof', pos: src.length })
  return tokens
}
