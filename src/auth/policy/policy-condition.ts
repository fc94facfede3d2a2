import { BlockList, isIP } from 'node:net'

/** What a request offers to `Condition` blocks; only keys we can populate truthfully. */
export interface ConditionContext {
  readonly sourceIp?: string
}

export type ConditionMatcher = (ctx: ConditionContext) => boolean

/** One operator and key of a `Condition` block, kept apart so `explain` can say which decided. */
export interface ConditionPart {
  readonly operator: string
  readonly key: string
  /** False for keys forcegate never fills in: they are evaluated as absent from the request. */
  readonly populated: boolean
  readonly test: ConditionMatcher
}

export type ConditionCompileResult =
  | { readonly ok: true; readonly matcher: ConditionMatcher; readonly parts: readonly ConditionPart[] }
  | { readonly ok: false; readonly detail: string }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function normaliseIp(ip: string): string {
  // IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d.
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
}

function compileIpSet(values: readonly string[]): BlockList | undefined {
  const list = new BlockList()
  for (const value of values) {
    const slash = value.indexOf('/')
    const address = slash === -1 ? value : value.slice(0, slash)
    const family = isIP(address)
    if (family === 0) return undefined
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (slash === -1) {
      list.addAddress(address, type)
      continue
    }
    const prefix = Number(value.slice(slash + 1))
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return undefined
    list.addSubnet(address, prefix, type)
  }
  return list
}

function ipMatcher(list: BlockList, negated: boolean): ConditionMatcher {
  return (ctx) => {
    if (ctx.sourceIp === undefined) return negated
    const ip = normaliseIp(ctx.sourceIp)
    const family = isIP(ip)
    if (family === 0) return negated
    return list.check(ip, family === 4 ? 'ipv4' : 'ipv6') !== negated
  }
}

/** `StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …: operators that match when values differ. */
function isNegated(operator: string): boolean {
  return operator.startsWith('Not') || /^(String|Numeric|Date|Arn)Not/.test(operator)
}

/**
 * IAM's rule for a key absent from the request: `...IfExists` and negated operators are
 * satisfied, `Null: "true"` is satisfied, every other operator is not.
 */
function absentKeyResult(operator: string, values: readonly string[]): boolean {
  if (operator.endsWith('IfExists')) return true
  if (operator === 'Null') return values.includes('true')
  return isNegated(operator)
}

/**
 * Compiles a statement's `Condition` block. Operators AND together, keys within an operator
 * AND together, and a key's values OR together. Which keys API Gateway populates for
 * authorizer policies is undocumented; we populate `aws:SourceIp` (for `IpAddress` and
 * `NotIpAddress`) and evaluate every other key as absent from the request, as IAM does.
 */
export function compileCondition(untrusted: unknown): ConditionCompileResult {
  if (!isRecord(untrusted)) return { ok: false, detail: 'Condition must be an object' }
  const parts: ConditionPart[] = []
  for (const [operator, block] of Object.entries(untrusted)) {
    if (!isRecord(block)) return { ok: false, detail: `Condition.${operator} must be an object` }
    for (const [key, raw] of Object.entries(block)) {
      const values = typeof raw === 'string' ? [raw] : raw
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
        return { ok: false, detail: `Condition.${operator}.${key} must be a string or an array of strings` }
      }
      const base = operator.endsWith('IfExists') ? operator.slice(0, -'IfExists'.length) : operator
      const onSourceIp =
        key.toLowerCase() === 'aws:sourceip' && (base === 'IpAddress' || base === 'NotIpAddress')
      if (!onSourceIp) {
        // Compiled once: the key is never in our request context, so the answer is fixed.
        const fixed = absentKeyResult(operator, values)
        parts.push({ operator, key, populated: false, test: () => fixed })
        continue
      }
      const list = compileIpSet(values)
      if (list === undefined)
        return { ok: false, detail: `Condition.${operator}.${key} holds an invalid IP range` }
      parts.push({ operator, key, populated: true, test: ipMatcher(list, base === 'NotIpAddress') })
    }
  }
  return { ok: true, matcher: (ctx) => parts.every((part) => part.test(ctx)), parts }
}
