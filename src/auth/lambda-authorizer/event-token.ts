/** The REST TOKEN authorizer event: exactly these three fields. */
export interface TokenAuthorizerEvent {
  readonly type: 'TOKEN'
  /** The identity header's raw value: API Gateway strips no `Bearer ` prefix. */
  readonly authorizationToken: string
  readonly methodArn: string
}

export function buildTokenEvent(untrustedToken: string, methodArn: string): TokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: untrustedToken, methodArn }
}
