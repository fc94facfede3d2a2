import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { orgFromEnvironment } from '../../../src/export/org-from-environment.ts'

test('org settings come from the environment; no client id means no introspection', async () => {
  assert.deepEqual(await orgFromEnvironment({ FORCEGATE_ORG_ISSUER: 'https://acme.my.salesforce.com' }), {
    issuer: 'https://acme.my.salesforce.com',
  })
  assert.deepEqual(
    await orgFromEnvironment({
      FORCEGATE_ORG_ISSUER: 'https://acme.my.salesforce.com',
      FORCEGATE_ORG_ID: '00D5g000004FgAt',
      FORCEGATE_ORG_CLIENT_ID: 'id',
      FORCEGATE_ORG_CLIENT_SECRET: 'shh',
    }),
    {
      issuer: 'https://acme.my.salesforce.com',
      orgId: '00D5g000004FgAt',
      introspection: { clientId: 'id', clientSecret: 'shh' },
    },
  )
  await assert.rejects(orgFromEnvironment({}), /FORCEGATE_ORG_ISSUER is not set/)
})

test("the client secret is read from Secrets Manager through the Lambda extension's endpoint", async () => {
  const asked: { url: string | undefined; token: string | undefined }[] = []
  const extension = createServer((req, res) => {
    asked.push({ url: req.url, token: req.headers['x-aws-parameters-secrets-token'] as string | undefined })
    res.writeHead(req.url?.includes('missing') ? 400 : 200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ SecretString: 'from-secrets-manager' }))
  })
  await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', resolve))
  const port = String((extension.address() as AddressInfo).port)
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sf-introspection'
  const env = {
    FORCEGATE_ORG_ISSUER: 'https://acme.my.salesforce.com',
    FORCEGATE_ORG_CLIENT_ID: 'id',
    FORCEGATE_ORG_CLIENT_SECRET_ARN: arn,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port,
    AWS_SESSION_TOKEN: 'session-token',
  }
  // The extension listens on localhost; the stand-in on 127.0.0.1.
  const local: typeof fetch = (url, init) => fetch(String(url).replace('localhost', '127.0.0.1'), init)
  try {
    const org = await orgFromEnvironment(env, local)
    assert.deepEqual(org.introspection, { clientId: 'id', clientSecret: 'from-secrets-manager' })
    assert.deepEqual(asked, [
      { url: `/secretsmanager/get?secretId=${encodeURIComponent(arn)}`, token: 'session-token' },
    ])
    await assert.rejects(
      orgFromEnvironment({ ...env, FORCEGATE_ORG_CLIENT_SECRET_ARN: 'missing' }, local),
      /Secrets Manager answered 400/,
    )
  } finally {
    extension.close()
  }
})
