/**
 * Which integration response applies: each `responses` key other than `default` is a Java
 * regular expression that must match the whole subject (Java's `Pattern.matches`, `.` not
 * matching a newline): the Lambda `errorMessage` for `aws` integrations, the status code for
 * `http` ones. A successful Lambda invocation is matched as an empty error message: `.*` takes
 * it, `.+` does not, so it usually falls to `default`. The
 * patterns are compiled once, at start-up; a pattern RE2 cannot run fails start-up.
 */
import { RE2JS } from 're2js'

export interface SelectableResponse {
  /** The document's key: a pattern or `default`. */
  readonly pattern: string
}

export interface ResponseSelector<R extends SelectableResponse> {
  /** `subject` undefined means there is nothing to match (a mock without a status): only `default` applies. */
  select(subject: string | undefined): { readonly response: R | undefined; readonly why: string }
}

export class SelectionPatternError extends Error {
  override name = 'SelectionPatternError'
}

export function compileResponseSelector<R extends SelectableResponse>(
  responses: readonly R[],
): ResponseSelector<R> {
  const fallback = responses.find((r) => r.pattern === 'default')
  const patterns = responses
    .filter((r) => r.pattern !== 'default')
    .map((r) => {
      try {
        return { response: r, re: RE2JS.compile(r.pattern) }
      } catch (e) {
        throw new SelectionPatternError(`${r.pattern}: ${(e as Error).message}`)
      }
    })
  return {
    select(subject) {
      if (subject !== undefined) {
        for (const { response, re } of patterns)
          if (re.matcher(subject).matches())
            return {
              response,
              why: `selection pattern ${JSON.stringify(response.pattern)} matched ${JSON.stringify(subject)}`,
            }
      }
      const why =
        subject === undefined
          ? 'nothing to match: the default response applies'
          : subject === ''
            ? 'no selection pattern matched the empty error message of a successful invocation'
            : `no selection pattern matched ${JSON.stringify(subject)}`
      return {
        response: fallback,
        why: fallback === undefined ? `${why}, and there is no default response` : why,
      }
    },
  }
}
