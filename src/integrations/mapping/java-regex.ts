/**
 * Java regular expressions as API Gateway uses them (selection patterns, and `matches`,
 * `replaceAll`, `split` inside templates), on re2js: RE2 syntax is the common subset of Java's,
 * and its matching is linear-time, so a pattern from a template or a document cannot stall the
 * gateway on hostile input. Compiled patterns are kept in a bounded cache because templates
 * pass literal patterns that repeat on every request.
 */
import { RE2JS } from 're2js'

const MAX_CACHED = 256
const cache = new Map<string, RE2JS>()

/** Throws re2js's syntax error for a pattern RE2 cannot compile (backreferences, lookaround). */
export function compileJavaRegex(pattern: string): RE2JS {
  const hit = cache.get(pattern)
  if (hit !== undefined) return hit
  const compiled = RE2JS.compile(pattern)
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
  cache.set(pattern, compiled)
  return compiled
}

/** `String.matches`: the whole input must match, as Java's `Matcher.matches()`. */
export function javaMatches(pattern: string, input: string): boolean {
  return compileJavaRegex(pattern).matcher(input).matches()
}

/**
 * `String.replaceAll`: the replacement as Java reads it (re2js's Java mode): `$0` is the whole
 * match, `$n` a group, `\$` a literal dollar; a reference to a group that does not exist throws.
 */
export function javaReplaceAll(input: string, pattern: string, replacement: string): string {
  return compileJavaRegex(pattern).matcher(input).replaceAll(replacement, true)
}

export function javaReplaceFirst(input: string, pattern: string, replacement: string): string {
  return compileJavaRegex(pattern).matcher(input).replaceFirst(replacement, true)
}

/** `String.split(regex[, limit])`: with limit 0, trailing empty strings are removed, as in Java. */
export function javaSplit(input: string, pattern: string, limit = 0): string[] {
  if (input === '') return ['']
  const parts = compileJavaRegex(pattern).split(input, limit)
  if (limit === 0) while (parts.length > 1 && parts.at(-1) === '') parts.pop()
  return parts
}
