/**
 * Results a Node.js function can return that JSON cannot carry as they are. Vectors name them
 * (`"returnsShape"`, `"resultShape"`), since a vector file is JSON itself; each is built fresh.
 */
const ALLOW = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
}

function allowWith(extra: Record<string, unknown>): Record<string, unknown> {
  return { principalId: 'user-1', policyDocument: structuredClone(ALLOW), ...extra }
}

const SHAPES: Record<string, () => unknown> = {
  undefined: () => undefined,
  symbol: () => Symbol('result'),
  function: () => () => 'allow',
  'circular-policy': () => {
    const result = allowWith({})
    const policy = result.policyDocument as Record<string, unknown>
    policy.self = policy
    return result
  },
  'circular-context': () => {
    const context: Record<string, unknown> = { role: 'admin' }
    context.self = context
    return allowWith({ context })
  },
  'bigint-context': () => allowWith({ context: { accountNumber: 12345678901234567890n } }),
  'throwing-getter': () =>
    allowWith({
      context: Object.defineProperty({}, 'role', {
        enumerable: true,
        get() {
          throw new Error('role is not loaded')
        },
      }),
    }),
  'throwing-toJSON': () =>
    allowWith({
      toJSON() {
        throw new Error('cannot serialise')
      },
    }),
  'toJSON-allow': () => ({ toJSON: () => allowWith({}) }),
  'function-in-context': () => allowWith({ context: { role: 'admin', check: () => true } }),
  'circular-proxy-response': () => {
    const headers: Record<string, unknown> = { 'content-type': 'text/plain' }
    const result = { statusCode: 200, headers, body: 'ok' }
    headers.self = result
    return result
  },
  'bigint-proxy-body': () => ({ statusCode: 200, body: 'ok', requestCount: 1n }),
  'bigint-value': () => 12n,
}

export function resultOfShape(name: string): unknown {
  const build = SHAPES[name]
  if (build === undefined) throw new Error(`no result shape named '${name}'`)
  return build()
}
