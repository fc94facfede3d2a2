/**
 * The closed list of gateway error codes. Each code maps to one HTTP status, one API Gateway
 * gateway response type (so `x-amazon-apigateway-gateway-responses` keys it the way AWS does)
 * and the message clients see. Nothing else in the code base decides a status.
 */
export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED'

export const GATEWAY_RESPONSE_TYPES: readonly GatewayResponseType[] = [
  'ACCESS_DENIED',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'BAD_REQUEST_PARAMETERS',
  'BAD_REQUEST_BODY',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'UNAUTHORIZED',
  'UNSUPPORTED_MEDIA_TYPE',
  'WAF_FILTERED',
]

export interface ErrorSpec {
  readonly status: number
  readonly responseType: GatewayResponseType
  /** What the client sees; `null` renders as JSON null, as API Gateway does for authorizer failures. */
  readonly message: string | null
  /** Key of the JSON body; API Gateway capitalises it for policy denials [observed]. */
  readonly messageKey?: 'message' | 'Message'
  /** Value of `x-amzn-ErrorType`, where API Gateway sends one. */
  readonly errorType?: string
  /**
   * After this error the rest of the connection cannot be trusted (framing problems, a refused
   * body): the answer carries `connection: close`.
   */
  readonly closesConnection?: boolean
  /** How an HTTP API answers the same failure, where it differs from REST's (the dialect picks). */
  readonly httpApi?: ErrorSpec
}

export const ERRORS = {
  GW_ROUTE_NOT_FOUND: {
    status: 403,
    responseType: 'MISSING_AUTHENTICATION_TOKEN',
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
    httpApi: { status: 404, responseType: 'DEFAULT_4XX', message: 'Not Found' },
  },
  GW_BAD_PATH: {
    status: 400,
    responseType: 'DEFAULT_4XX',
    message: 'Bad request path',
    closesConnection: true,
  },
  GW_BAD_REQUEST: {
    status: 400,
    responseType: 'DEFAULT_4XX',
    message: 'Bad request',
    closesConnection: true,
  },
  GW_DUPLICATE_AUTHORIZATION: {
    status: 400,
    responseType: 'DEFAULT_4XX',
    message: 'Bad request',
    closesConnection: true,
  },
  GW_URI_TOO_LONG: {
    status: 414,
    responseType: 'DEFAULT_4XX',
    message: 'Request-URI Too Long',
    closesConnection: true,
  },
  GW_AUTHORIZER_ARN_TOO_LONG: { status: 414, responseType: 'DEFAULT_4XX', message: 'Request-URI Too Long' },
  GW_HEADERS_TOO_LARGE: {
    status: 431,
    responseType: 'DEFAULT_4XX',
    message: 'Request Header Fields Too Large',
  },
  GW_BODY_TOO_LARGE: {
    status: 413,
    responseType: 'REQUEST_TOO_LARGE',
    message: 'Request Too Long',
    closesConnection: true,
  },
  GW_REQUEST_TIMEOUT: { status: 408, responseType: 'DEFAULT_4XX', message: 'Request Timeout' },
  GW_CREDENTIAL_REQUEST_MALFORMED: { status: 400, responseType: 'DEFAULT_4XX', message: 'Bad request' },
  GW_IDENTITY_MISSING: { status: 401, responseType: 'UNAUTHORIZED', message: 'Unauthorized' },
  GW_TOKEN_INVALID: { status: 401, responseType: 'UNAUTHORIZED', message: 'Unauthorized' },
  GW_AUTHORIZER_UNAUTHORIZED: { status: 401, responseType: 'UNAUTHORIZED', message: 'Unauthorized' },
  GW_ACCESS_DENIED_EXPLICIT: {
    status: 403,
    responseType: 'ACCESS_DENIED',
    message: 'User is not authorized to access this resource with an explicit deny',
    messageKey: 'Message',
    errorType: 'AccessDeniedException',
    httpApi: { status: 403, responseType: 'ACCESS_DENIED', message: 'Forbidden' },
  },
  GW_ACCESS_DENIED: {
    status: 403,
    responseType: 'ACCESS_DENIED',
    message: 'User is not authorized to access this resource',
    messageKey: 'Message',
    errorType: 'AccessDeniedException',
    httpApi: { status: 403, responseType: 'ACCESS_DENIED', message: 'Forbidden' },
  },
  GW_FORBIDDEN: { status: 403, responseType: 'ACCESS_DENIED', message: 'Forbidden' },
  GW_API_KEY_INVALID: { status: 403, responseType: 'INVALID_API_KEY', message: 'Forbidden' },
  GW_INSUFFICIENT_SCOPE: { status: 403, responseType: 'ACCESS_DENIED', message: 'Forbidden' },
  GW_AUTHORIZER_CONFIG: {
    status: 500,
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    message: null,
    errorType: 'AuthorizerConfigurationException',
    httpApi: { status: 500, responseType: 'AUTHORIZER_FAILURE', message: 'Internal Server Error' },
  },
  GW_AUTHORIZER_FAILURE: {
    status: 500,
    responseType: 'AUTHORIZER_FAILURE',
    message: null,
    errorType: 'AuthorizerFailureException',
  },
  GW_IDP_UNAVAILABLE: { status: 503, responseType: 'DEFAULT_5XX', message: 'Service Unavailable' },
  /** The shared usage store (Redis) did not answer in time and `onStoreError` is `closed`. */
  GW_USAGE_STORE_UNAVAILABLE: { status: 503, responseType: 'DEFAULT_5XX', message: 'Service Unavailable' },
  /** The shared partner store (PostgreSQL) did not answer in time: the contract cannot be checked. */
  GW_PARTNER_STORE_UNAVAILABLE: { status: 503, responseType: 'DEFAULT_5XX', message: 'Service Unavailable' },
  GW_THROTTLED: { status: 429, responseType: 'THROTTLED', message: 'Too Many Requests' },
  GW_QUOTA_EXCEEDED: { status: 429, responseType: 'QUOTA_EXCEEDED', message: 'Limit Exceeded' },
  GW_INTEGRATION_FAILURE: {
    status: 502,
    responseType: 'DEFAULT_5XX',
    message: 'Internal server error',
    httpApi: { status: 500, responseType: 'DEFAULT_5XX', message: 'Internal Server Error' },
  },
  GW_INTEGRATION_TIMEOUT: {
    status: 504,
    responseType: 'INTEGRATION_TIMEOUT',
    message: 'Endpoint request timed out',
  },
  GW_UPSTREAM_UNREACHABLE: { status: 502, responseType: 'DEFAULT_5XX', message: 'Bad Gateway' },
  GW_MOCK_NO_STATUS: {
    status: 500,
    responseType: 'API_CONFIGURATION_ERROR',
    message: 'Internal server error',
  },
  GW_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    responseType: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Media Type',
  },
  /** The message names the missing parameters (GatewayError's `message` option). */
  GW_BAD_REQUEST_PARAMETERS: {
    status: 400,
    responseType: 'BAD_REQUEST_PARAMETERS',
    message: 'Missing required request parameters',
  },
  GW_BAD_REQUEST_BODY: { status: 400, responseType: 'BAD_REQUEST_BODY', message: 'Invalid request body' },
  /** A non-proxy Lambda integration's request (template output or passthrough) is not JSON. */
  GW_LAMBDA_PAYLOAD_NOT_JSON: {
    status: 400,
    responseType: 'DEFAULT_4XX',
    message: 'Could not parse request body into json',
  },
  /** A mapping template failed, or no integration response applies: AWS's configuration error. */
  GW_MAPPING_FAILED: {
    status: 500,
    responseType: 'API_CONFIGURATION_ERROR',
    message: 'Internal server error',
  },
  GW_INTERNAL: { status: 500, responseType: 'DEFAULT_5XX', message: 'Internal server error' },
} as const satisfies Record<string, ErrorSpec>

export type GatewayErrorCode = keyof typeof ERRORS

export function errorSpec(code: GatewayErrorCode): ErrorSpec {
  return ERRORS[code]
}
