/**
 * How a request body travels inside a Lambda event. REST APIs pass text unless the content
 * type is one of the API's binary media types; HTTP APIs base64-encode anything that is not
 * recognisably text. Both keep an empty body as "no body".
 */
export type BodyEncoding =
  | { readonly kind: 'rest'; readonly binaryMediaTypes: readonly string[] }
  | { readonly kind: 'http' }

export interface EventBody {
  readonly body: string | null
  readonly isBase64Encoded: boolean
}

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql|[\w.+-]+\+(json|xml)))/

function mediaType(contentType: string | undefined): string {
  if (contentType === undefined) return ''
  const semi = contentType.indexOf(';')
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
}

/** True when `type` matches one of the patterns (`image/png`, `image/*`, `*\/*`). */
export function matchesMediaType(type: string, patterns: readonly string[]): boolean {
  if (type === '') return patterns.includes('*/*')
  const slash = type.indexOf('/')
  const major = slash === -1 ? type : type.slice(0, slash)
  for (const raw of patterns) {
    const pattern = raw.toLowerCase()
    if (pattern === '*/*' || pattern === type || pattern === `${major}/*`) return true
  }
  return false
}

export function encodeEventBody(
  body: Buffer | undefined,
  contentType: string | undefined,
  enc: BodyEncoding,
): EventBody {
  if (body === undefined || body.length === 0) return { body: null, isBase64Encoded: false }
  const type = mediaType(contentType)
  return isBinary(type, enc)
    ? { body: body.toString('base64'), isBase64Encoded: true }
    : { body: body.toString('utf8'), isBase64Encoded: false }
}

function isBinary(type: string, enc: BodyEncoding): boolean {
  switch (enc.kind) {
    case 'rest':
      return matchesMediaType(type, enc.binaryMediaTypes)
    case 'http':
      return type !== '' && !TEXT_TYPES.test(type)
  }
}
