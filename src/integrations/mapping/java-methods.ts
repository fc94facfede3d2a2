/**
 * The methods a template may call on its values. API Gateway runs Velocity on Java, so a
 * string has `length()`, `replaceAll(regex, s)` and `matches(regex)`, a JSON array is a
 * `List` and a JSON object a `Map`. This table is also the sandbox: the engine is told to call
 * only what is listed here (and the gateway's own variables' functions), so no template can
 * reach a JavaScript function such as `constructor`, `__lookupGetter__` or `call`.
 */
import { javaMatches, javaReplaceAll, javaReplaceFirst, javaSplit } from './java-regex.ts'
import { toVtlString } from './vtl-string.ts'
import { checkWrite } from './write-once.ts'

type Method = (self: never, ...args: never[]) => unknown
type Table = Readonly<Record<string, Method>>

const str = (v: unknown): string => toVtlString(v)
const int = (v: unknown): number => Math.trunc(Number(v))

function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null)
    return JSON.stringify(a) === JSON.stringify(b)
  return false
}

const OBJECT: Table = {
  equals: (self: unknown, other: unknown) => javaEquals(self, other),
  toString: (self: unknown) => toVtlString(self),
  hashCode: (self: unknown) => toVtlString(self).length,
}

const STRING: Table = {
  ...OBJECT,
  length: (s: string) => s.length,
  isEmpty: (s: string) => s.length === 0,
  isBlank: (s: string) => s.trim().length === 0,
  charAt: (s: string, i: unknown) => s.charAt(int(i)),
  indexOf: (s: string, x: unknown, from?: unknown) => s.indexOf(str(x), from === undefined ? 0 : int(from)),
  lastIndexOf: (s: string, x: unknown) => s.lastIndexOf(str(x)),
  substring: (s: string, b: unknown, e?: unknown) => s.substring(int(b), e === undefined ? s.length : int(e)),
  contains: (s: string, x: unknown) => s.includes(str(x)),
  startsWith: (s: string, x: unknown) => s.startsWith(str(x)),
  endsWith: (s: string, x: unknown) => s.endsWith(str(x)),
  equalsIgnoreCase: (s: string, x: unknown) => typeof x === 'string' && s.toLowerCase() === x.toLowerCase(),
  compareTo: (s: string, x: unknown) => (s < str(x) ? -1 : s > str(x) ? 1 : 0),
  toLowerCase: (s: string) => s.toLowerCase(),
  toUpperCase: (s: string) => s.toUpperCase(),
  trim: (s: string) => s.trim(),
  strip: (s: string) => s.trim(),
  concat: (s: string, x: unknown) => s + str(x),
  // Java's replace(CharSequence, CharSequence) replaces every occurrence, literally.
  replace: (s: string, a: unknown, b: unknown) => s.split(str(a)).join(str(b)),
  replaceAll: (s: string, re: unknown, b: unknown) => javaReplaceAll(s, str(re), str(b)),
  replaceFirst: (s: string, re: unknown, b: unknown) => javaReplaceFirst(s, str(re), str(b)),
  matches: (s: string, re: unknown) => javaMatches(str(re), s),
  split: (s: string, re: unknown, limit?: unknown) =>
    javaSplit(s, str(re), limit === undefined ? 0 : int(limit)),
}

const NUMBER: Table = {
  ...OBJECT,
  intValue: (n: number) => Math.trunc(n),
  longValue: (n: number) => Math.trunc(n),
  doubleValue: (n: number) => n,
  floatValue: (n: number) => n,
  compareTo: (n: number, x: unknown) => Math.sign(n - Number(x)),
}

const BOOLEAN: Table = { ...OBJECT, booleanValue: (b: boolean) => b }

const LIST: Table = {
  ...OBJECT,
  size: (l: unknown[]) => l.length,
  isEmpty: (l: unknown[]) => l.length === 0,
  get: (l: unknown[], i: unknown) => l[int(i)],
  contains: (l: unknown[], x: unknown) => l.some((v) => javaEquals(v, x)),
  indexOf: (l: unknown[], x: unknown) => l.findIndex((v) => javaEquals(v, x)),
  add: (l: unknown[], a: unknown, b?: unknown) => {
    if (b === undefined) l.push(a)
    else l.splice(int(a), 0, b)
    return true
  },
  addAll: (l: unknown[], xs: unknown) => {
    if (Array.isArray(xs)) l.push(...xs)
    return true
  },
  set: (l: unknown[], i: unknown, x: unknown) => {
    const old = l[int(i)]
    l[int(i)] = x
    return old
  },
  remove: (l: unknown[], x: unknown) => (typeof x === 'number' ? l.splice(int(x), 1)[0] : undefined),
  clear: (l: unknown[]) => {
    l.length = 0
  },
  subList: (l: unknown[], a: unknown, b: unknown) => l.slice(int(a), int(b)),
}

function own(m: Record<string, unknown>, k: unknown): unknown {
  const key = str(k)
  return Object.hasOwn(m, key) ? m[key] : undefined
}

const MAP: Table = {
  ...OBJECT,
  size: (m: Record<string, unknown>) => Object.keys(m).length,
  isEmpty: (m: Record<string, unknown>) => Object.keys(m).length === 0,
  get: (m: Record<string, unknown>, k: unknown) => own(m, k),
  getOrDefault: (m: Record<string, unknown>, k: unknown, d: unknown) => own(m, k) ?? d,
  containsKey: (m: Record<string, unknown>, k: unknown) => Object.hasOwn(m, str(k)),
  containsValue: (m: Record<string, unknown>, v: unknown) => Object.values(m).some((x) => javaEquals(x, v)),
  keySet: (m: Record<string, unknown>) => Object.keys(m),
  values: (m: Record<string, unknown>) => Object.values(m),
  entrySet: (m: Record<string, unknown>) => Object.entries(m).map(([key, value]) => ({ key, value })),
  getKey: (m: Record<string, unknown>) => m.key,
  getValue: (m: Record<string, unknown>) => m.value,
  put: (m: Record<string, unknown>, k: unknown, v: unknown) => {
    const key = str(k)
    if (key === '__proto__') return undefined
    checkWrite(m, key)
    const old = own(m, key)
    m[key] = v
    return old
  },
  putAll: (m: Record<string, unknown>, o: unknown) => {
    if (typeof o === 'object' && o !== null)
      for (const [k, v] of Object.entries(o))
        if (k !== '__proto__') {
          checkWrite(m, k)
          m[k] = v
        }
  },
  remove: (m: Record<string, unknown>, k: unknown) => {
    const old = own(m, k)
    delete m[str(k)]
    return old
  },
}

/**
 * The gateway's own objects (`$input`, `$util`): their functions are the only other callables.
 * The table hangs off a symbol, which no template can name (a WeakMap entry per request cost
 * more than the render around it).
 */
const HOST = Symbol('forcegate.host-methods')
type HostMethods = Readonly<Record<string, (...args: never[]) => unknown>>

export function hostObject<T extends object>(properties: T, methods: HostMethods): T {
  ;(properties as { [HOST]?: HostMethods })[HOST] = methods
  return properties
}

/** Resolves `$x.name(args)`; `undefined` when no such method exists (rendered like a null). */
export function callMethod(self: unknown, name: string, args: readonly unknown[]): unknown {
  if (typeof self === 'object' && self !== null) {
    const host = (self as { [HOST]?: HostMethods })[HOST]
    if (host !== undefined && Object.hasOwn(host, name))
      return (host[name] as (...a: unknown[]) => unknown)(...args)
  }
  const table = tableOf(self)
  if (table === undefined || !Object.hasOwn(table, name)) return undefined
  return (table[name] as (self: unknown, ...a: unknown[]) => unknown)(self, ...args)
}

function tableOf(self: unknown): Table | undefined {
  switch (typeof self) {
    case 'string':
      return STRING
    case 'number':
      return NUMBER
    case 'boolean':
      return BOOLEAN
    case 'object':
      if (self === null) return undefined
      return Array.isArray(self) ? LIST : MAP
    default:
      return undefined
  }
}
