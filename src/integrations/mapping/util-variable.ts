/**
 * `$util`: API Gateway's helper functions, with the Java behaviour they have there.
 * `escapeJavaScript` is Apache Commons' `StringEscapeUtils.escapeJavaScript`: it escapes `'`
 * as `\'` (not valid JSON, which AWS's docs warn about) and `/` as `\/`, and writes non-ASCII
 * characters as `\uXXXX`. `urlEncode` is `java.net.URLEncoder` (space as `+`).
 */
import { hostObject } from './java-methods.ts'
import { parseJsonPayload } from './json-payload.ts'
import { TemplateRenderError } from './vtl-engine.ts'
import { toVtlString } from './vtl-string.ts'

const SHORT: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
}

export function escapeJavaScript(input: string): string {
  let out = ''
  for (const c of input) {
    const short = SHORT[c]
    if (short !== undefined) {
      out += short
      continue
    }
    const code = c.codePointAt(0) as number
    // DEL (0x7f) stays as it is: Commons Lang escapes below 0x20 and above 0x7f only.
    if (code < 0x20 || code > 0x7f) {
      // One \uXXXX per UTF-16 unit, upper-case hex, as Commons Lang writes them.
      for (let i = 0; i < c.length; i++)
        out += `\\u${c.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`
    } else out += c
  }
  return out
}

export function urlEncode(input: string): string {
  return encodeURIComponent(input)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function urlDecode(input: string): string {
  try {
    return decodeURIComponent(input.replace(/\+/g, ' '))
  } catch {
    throw new TemplateRenderError('$util.urlDecode: malformed percent-encoding')
  }
}

/** Shared by every render: its methods are pure and it has no properties a template could set. */
export const UTIL_VARIABLE: object = Object.freeze(
  hostObject(
    {},
    {
      escapeJavaScript: (s: unknown) => escapeJavaScript(toVtlString(s)),
      parseJson: (s: unknown) => {
        try {
          return parseJsonPayload(toVtlString(s))
        } catch {
          throw new TemplateRenderError('$util.parseJson: the argument is not valid JSON')
        }
      },
      urlEncode: (s: unknown) => urlEncode(toVtlString(s)),
      urlDecode: (s: unknown) => urlDecode(toVtlString(s)),
      base64Encode: (s: unknown) => Buffer.from(toVtlString(s), 'utf8').toString('base64'),
      base64Decode: (s: unknown) => Buffer.from(toVtlString(s), 'base64').toString('utf8'),
    },
  ),
)
