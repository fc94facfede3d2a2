import { BlockList, isIP } from 'node:net'

/** What a request offers to `Condition` blocks; only keys we can populate truthfully. */
export interface ConditionContext {
  readonly sourceIp?: string
}

export type ConditionMatcher = (ctx: ConditionContext) => boolean

export type ConditionCompileResult =
  | { readonly ok: true; readonly matcher: ConditionMatcher }
  | { readonly ok: false; readonly detail: string }

const NEVER: ConditionMatcher = () => false

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
    // A missing key never satisfies an operator, negated or not [inferred from IAM's rule].
    if (ctx.sourceIp === undefined) return false
    const ip = normaliseIp(ctx.sourceIp)
    const family = isIP(ip)
    if (family === 0) return false
    return list.check(ip, family === 4 ? 'ipv4' : 'ipv6') !== negated
  }
}

/**
 * Compiles a statement's `Condition` block. Operators AND together, keys within an operator
 * AND together, and a key's values OR together. Which keys API Gateway populates for
 * authorizer policies is undocumented; we support `IpAddress`/`NotIpAddress` on
 * `aws:SourceIp` and, as IAM does for keys absent from the request, let any other
 * operator or key make the statement not apply.
 */
export function compileCondition(untrusted: unknown): ConditionCompileResult {
  if (!isRecord(untrusted)) return { ok: false, detail: 'Condition must be an object' }
  const parts: ConditionMatcher[] = []
  for (const [operator, block] of Object.entries(untrusted)) {
    if (!isRecord(block)) return { ok: false, detail: `Condition.${operator} must be an object` }
    for (const [key, raw] of Object.entries(block)) {
      const values = typeof raw === 'string' ? [raw] : raw
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
        return { ok: false, detail: `Condition.${operator}.${key} must be a string or an array of strings` }
      }
      const supported =
        (operator === 'IpAddress' || operator === 'NotIpAddress') && key.toLowerCase() === 'aws:sourceip'
      if (!supported) {
        parts.push(NEVER)
        continue
      }
      const list = compileIpSet(values)
      if (list === undefined)
        return { ok: false, detail: `Condition.${operator}.${key} holds an invalid IP range` }
      parts.push(ipMatcher(list, operator === 'NotIpAddress'))
    }
  }
  return { ok: true, matcher: (ctx) => parts.every((part) => part(ctx)) }
}
