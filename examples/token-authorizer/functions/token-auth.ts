// A TOKEN authorizer as you would deploy it to AWS. Tokens are toy values so the example
// can show every outcome:
//   allow-<user>   Allow, but only for the method and path of this first request (narrow policy)
//   wide-<user>    Allow for every method and path of the API (wildcard policy)
//   deny           explicit Deny → 403
//   anything else  throw 'Unauthorized' → 401
interface TokenEvent {
  type: 'TOKEN'
  authorizationToken: string
  methodArn: string
}

const policy = (principalId: string, effect: 'Allow' | 'Deny', resource: string) => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
  context: { user: principalId, tier: principalId.startsWith('gold') ? 'gold' : 'standard' },
})

export async function handler(event: TokenEvent) {
  const token = event.authorizationToken.replace(/^Bearer /, '')
  // arn:aws:execute-api:region:account:apiId/stage/METHOD/path → the API-wide wildcard
  const [arnPrefix, stage] = event.methodArn.split('/')
  if (token.startsWith('allow-')) return policy(token.slice(6), 'Allow', event.methodArn)
  if (token.startsWith('wide-')) return policy(token.slice(5), 'Allow', `${arnPrefix}/${stage}/*`)
  if (token === 'deny') return policy('denied', 'Deny', event.methodArn)
  throw new Error('Unauthorized')
}
