// REST errors are always a JSON array of `{message, errorCode, fields?}`; handlers throw
// RestError and the request loop turns it into that body.

export type RestErrorItem = {
  message: string
  errorCode: string
  fields?: string[]
  /** Extra keys some errors carry beside the code (the duplicate result of DUPLICATES_DETECTED). */
  [extra: string]: unknown
}

export class RestError extends Error {
  readonly status: number
  readonly items: RestErrorItem[]
  /** A non-error body to send instead of `items` (300 Multiple Choices lists record URLs). */
  readonly body: unknown

  constructor(status: number, items: RestErrorItem[], body?: unknown) {
    super(items[0]?.message ?? `HTTP ${status}`)
    this.status = status
    this.items = items
    this.body = body ?? items
  }
}

function one(status: number, errorCode: string, message: string, fields?: string[]): RestError {
  return new RestError(status, [fields ? { message, errorCode, fields } : { message, errorCode }])
}

export const errors = {
  invalidSession: () => one(401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
  notFound: () => one(404, 'NOT_FOUND', 'The requested resource does not exist'),
  entityIsDeleted: () => one(404, 'ENTITY_IS_DELETED', 'entity is deleted'),
  gone: () => one(410, 'GONE', 'This API version has been retired'),
  methodNotAllowed: (method: string, allowed: string[]) =>
    one(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`),
  invalidType: (name: string) => one(400, 'INVALID_TYPE', `sObject type '${name}' is not supported.`),
  invalidTypeForOperation: (name: string, op: string) =>
    one(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${name} does not support ${op}`),
  invalidField: (message: string, fields?: string[]) => one(400, 'INVALID_FIELD', message, fields),
  noSuchField: (field: string, sobject: string) =>
    one(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${sobject}`, [field]),
  readOnlyField: (field: string) =>
    one(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${field}. Check the field's accessibility.`,
      [field],
    ),
  requiredMissing: (fields: string[]) =>
    one(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields),
  malformedId: (value: string) => one(400, 'MALFORMED_ID', `malformed id ${value}`),
  malformedQuery: (message: string) => one(400, 'MALFORMED_QUERY', message),
  invalidQueryLocator: () => one(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator'),
  jsonParser: (message: string) => one(400, 'JSON_PARSER_ERROR', message),
  duplicateValue: (message: string) => one(400, 'DUPLICATE_VALUE', message),
  /** A write to a record the caller may not edit (or cannot see), or a file linked to one. */
  insufficientAccess: () =>
    one(400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []),
  /** A child saved under a parent the caller may not edit (a line item on someone else's deal). */
  insufficientAccessOnCrossReference: (id: string) =>
    one(
      400,
      'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      `insufficient access rights on cross-reference id: ${id}`,
      [],
    ),
  invalidCrossReference: (field: string, value: string) =>
    one(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${value}`, [field]),
  fieldIntegrity: (message: string, fields: string[]) =>
    one(400, 'FIELD_INTEGRITY_EXCEPTION', message, fields),
  unsupportedMediaType: (type: string) =>
    one(415, 'UNSUPPORTED_MEDIA_TYPE', `Content type '${type}' is not supported for this resource`),
  serverUnavailable: () =>
    one(503, 'SERVER_UNAVAILABLE', 'The server is temporarily unavailable. Try again.'),
  requestLimitExceeded: () => one(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
  unknown: () => one(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred in the dev org.'),
}

/** 300 Multiple Choices: the body is the list of matching record URLs, not an error array. */
export function multipleChoices(urls: string[]): RestError {
  return new RestError(
    300,
    [{ message: 'More than one record matches the external ID', errorCode: 'MULTIPLE_CHOICES' }],
    urls,
  )
}
