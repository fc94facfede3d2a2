/** What the pipeline and the Salesforce token check use from the JWT module. */
export {
  createJwtAuthorizer,
  DEFAULT_JWT_IDENTITY_SOURCE,
  type JwtAuthorization,
  type JwtAuthorizeInput,
  type JwtAuthorizer,
  type JwtAuthorizerConfig,
  type JwtAuthorizerDeps,
} from './jwt-authorizer.ts'
export type { JwtFailureReason } from './jwt-failure.ts'
export { createJwtVerifier } from './jwt-verifier.ts'
export type {
  JwksCacheOptions,
  JwtAlgorithm,
  JwtClaims,
  JwtHeader,
  JwtIssuerConfig,
  JwtVerifier,
  JwtVerifierOptions,
  VerifiedJwt,
} from './types.ts'
