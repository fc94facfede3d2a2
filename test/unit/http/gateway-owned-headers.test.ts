import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isGatewayNamespaceHeader, isGatewayOwnedHeader } from '../../../src/http/gateway-owned-headers.ts'

test('forwarding, rewrite, AWS, API Gateway and x-forcegate-* names are the gateway’s', () => {
  for (const name of [
    'forwarded',
    'x-real-ip',
    'x-forwarded-for',
    'x-forwarded-prefix',
    'x-forwarded-uri',
    'x-original-uri',
    'x-original-url',
    'x-rewrite-url',
    'x-amzn-oidc-identity',
    'x-amzn-requestid',
    'x-amzn-remapped-authorization',
    'x-apigateway-event',
    'x-apigateway-context',
    'x-forcegate-user-id',
  ])
    assert.equal(isGatewayOwnedHeader(name), true, name)
})

test('ordinary and AWS request-signing names are the client’s', () => {
  for (const name of [
    'authorization',
    'cookie',
    'x-amz-date',
    'x-amz-security-token',
    'x-forward',
    'x-tenant',
  ])
    assert.equal(isGatewayOwnedHeader(name), false, name)
})

test('the x-forcegate- namespace alone', () => {
  assert.equal(isGatewayNamespaceHeader('x-forcegate-scopes'), true)
  assert.equal(isGatewayNamespaceHeader('x-forwarded-for'), false)
})
