// Parser for the SOQL subset the flows use:
//   SELECT <field | Parent.field | COUNT() | (child subquery)>, ... FROM <object>
//   [WHERE <condition>] [ORDER BY <path> [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
// Conditions: = != <> < <= > >= LIKE, [NOT] IN (...), AND, OR, NOT, parentheses.

import { errors } from './rest-errors.ts'
import { type Token, tokenize, unexpected } from './soql-lexer.ts'

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: string }
  | { kind: 'relativeDate'; name: RelativeDate; n: number }

export const RELATIVE_DATES = ['TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_N_DAYS', 'NEXT_N_DAYS'] as const
export type RelativeDate = (typeof RELATIVE_DATES)[number]

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like'

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; path: string[]; op: CompareOp; value: Literal }
  | { kind: 'in'; path: string[]; negated: boolean; values: Literal[] }

export type SelectItem =
  | { kind: 'field'; path: string[] }
  | { kind: 'count' }
  | { kind: 'subquery'; query: SoqlQuery }

export type OrderItem = { path: string[]; desc: boolean; nullsLast: boolean }

export type SoqlQuery = {
  select: SelectItem[]
  from: string
  where: Condition | null
  orderBy: OrderItem[]
  limit: number | null
  offset: number | null
}

class Parser {
  private readonly tokens: Token[]
  private at = 0

  constructor(tokens: Token[]) {
    this.tokens = tokens
  }

  peek(): Token {
    return this.tokens[this.at] ?? { kind: 'eof', pos: 0 }
  }

  next(): Token {
    const t = this.peek()
    if (t.kind !== 'eof') this.at++
    return t
  }

  isKeyword(word: string, t: Token = this.peek()): boolean {
    return t.kind === 'ident' && t.text.toUpperCase() === word
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false
    this.at++
    return true
  }

  expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw unexpected(this.peek())
  }

  isOp(text: string): boolean {
    const t = this.peek()
    return t.kind === 'op' && t.text === text
  }

  expectOp(text: string): void {
    if (!this.isOp(text)) throw unexpected(this.peek())
    this.at++
  }

  path(): string[] {
    const t = this.next()
    if (t.kind !== 'ident' || t.text.includes(':')) throw unexpected(t)
    return t.text.split('.')
  }

  query(nested: boolean): SoqlQuery {
    this.expectKeyword('SELECT')
    const select: SelectItem[] = [this.selectItem(nested)]
    while (this.isOp(',')) {
      this.next()
      select.push(this.selectItem(nested))
    }
    this.expectKeyword('FROM')
    const from = this.next()
    if (from.kind !== 'ident' || from.text.includes('.')) throw unexpected(from)
    const q: SoqlQuery = { select, from: from.text, where: null, orderBy: [], limit: null, offset: null }
    if (this.acceptKeyword('WHERE')) q.where = this.orCondition()
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY')
      q.orderBy.push(this.orderItem())
      while (this.isOp(',')) {
        this.next()
        q.orderBy.push(this.orderItem())
      }
    }
    if (this.acceptKeyword('LIMIT')) q.limit = this.count()
    if (this.acceptKeyword('OFFSET')) q.offset = this.count()
    return q
  }

  count(): number {
    const t = this.next()
    if (t.kind !== 'number' || !Number.isInteger(t.value) || t.value < 0) throw unexpected(t)
    return t.value
  }

  selectItem(nested: boolean): SelectItem {
    if (this.isOp('(') && !nested) {
      this.next()
      const query = this.query(true)
      this.expectOp(')')
      return { kind: 'subquery', query }
    }
    if (this.isKeyword('COUNT')) {
      this.next()
      this.expectOp('(')
      this.expectOp(')')
      return { kind: 'count' }
    }
    return { kind: 'field', path: this.path() }
  }

  orderItem(): OrderItem {
    const path = this.path()
    const desc = this.acceptKeyword('DESC')
    if (!desc) this.acceptKeyword('ASC')
    let nullsLast = desc
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true
      else {
        this.expectKeyword('FIRST')
        nullsLast = false
      }
    }
    return { path, desc, nullsLast }
  }

  orCondition(): Condition {
    const items = [this.andCondition()]
    while (this.acceptKeyword('OR')) items.push(this.andCondition())
    return items.length === 1 && items[0] ? items[0] : { kind: 'or', items }
  }

  andCondition(): Condition {
    const items = [this.notCondition()]
    while (this.acceptKeyword('AND')) items.push(this.notCondition())
    return items.length === 1 && items[0] ? items[0] : { kind: 'and', items }
  }

  notCondition(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.notCondition() }
    if (this.isOp('(')) {
      this.next()
      const inner = this.orCondition()
      this.expectOp(')')
      return inner
    }
    return this.comparison()
  }

  comparison(): Condition {
    const path = this.path()
    if (this.isKeyword('NOT') && this.isKeyword('IN', this.tokens[this.at + 1])) {
      this.at += 2
      return { kind: 'in', path, negated: true, values: this.literalList() }
    }
    if (this.acceptKeyword('IN')) return { kind: 'in', path, negated: false, values: this.literalList() }
    if (this.acceptKeyword('LIKE')) return { kind: 'compare', path, op: 'like', value: this.literal() }
    const t = this.next()
    if (t.kind !== 'op' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.text)) throw unexpected(t)
    const op = (t.text === '<>' ? '!=' : t.text) as CompareOp
    return { kind: 'compare', path, op, value: this.literal() }
  }

  literalList(): Literal[] {
    this.expectOp('(')
    const values = [this.literal()]
    while (this.isOp(',')) {
      this.next()
      values.push(this.literal())
    }
    this.expectOp(')')
    return values
  }

  literal(): Literal {
    const t = this.next()
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.value }
      case 'number':
        return { kind: 'number', value: t.value }
      case 'date':
        return { kind: 'date', value: t.value }
      case 'datetime':
        return { kind: 'datetime', value: t.value }
      case 'ident': {
        const word = t.text.toUpperCase()
        if (word === 'NULL') return { kind: 'null' }
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' }
        const [name, n] = word.split(':')
        const relative = RELATIVE_DATES.find((r) => r === name)
        if (!relative || relative.endsWith('_N_DAYS') !== (n !== undefined)) throw unexpected(t)
        return { kind: 'relativeDate', name: relative, n: Number(n ?? 0) }
      }
      default:
        throw unexpected(t)
    }
  }
}

export function parseSoql(soql: string): SoqlQuery {
  if (soql.trim() === '') throw errors.malformedQuery('The query is empty')
  const parser = new Parser(tokenize(soql))
  const q = parser.query(false)
  const rest = parser.peek()
  if (rest.kind !== 'eof') throw unexpected(rest)
  return q
}
