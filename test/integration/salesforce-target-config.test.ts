import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DevOrg, startDevOrg } from '../../devorg/index.ts'
import { devorgSalesforceYaml } from '../helpers/devorg-gateway-config.ts'
import { openapi, startTestGateway } from '../helpers/test-gateway.ts'
import { devorgWriteYaml, salesforceScheme } from './salesforce-target-support.ts'

const target = (extra: Record<string, unknown> = {}) => ({
  org: 'devorg',
  credential: 'integrationUser',
  operation: 'upsert',
  sobject: 'Contact',
  externalIdField: 'Customer_Id__c',
  ...extra,
})

describe('x-forcegate-salesforce-integration is checked at start-up', () => {
  let org: DevOrg
  before(async () => {
    org = await startDevOrg({ port: 0 })
  })
  after(async () => {
    await org?.close()
  })

  const start = (op: Record<string, unknown>, yaml = devorgWriteYaml(org, 'TEST_SF_CONFIG_SECRET')) =>
    startTestGateway(
      openapi({ '/x': { post: op } }, { components: { securitySchemes: { salesforce: salesforceScheme } } }),
      {},
      `${yaml.join('\n')}\n`,
    )

  const refuses = async (op: Record<string, unknown>, message: RegExp, yaml?: string[]) => {
    await assert.rejects(start(op, yaml), (err: Error) => {
      assert.match(err.message, message)
      return true
    })
  }

  test('AWS’s integration and forcegate’s on one operation', () =>
    refuses(
      {
        'x-forcegate-salesforce-integration': target(),
        'x-amazon-apigateway-integration': { type: 'mock' },
      },
      /either x-amazon-apigateway-integration or x-forcegate-salesforce-integration, not both/,
    ))

  test('an unknown operation, credential or member', () =>
    refuses(
      {
        'x-forcegate-salesforce-integration': target({
          operation: 'merge',
          credential: 'admin',
          extra: 1,
        }),
      },
      /credential: expected caller or integrationUser[\s\S]*operation: expected upsert or create or upload[\s\S]*unknown member 'extra'/,
    ))

  test('an org forcegate.yaml does not trust', () =>
    refuses({ 'x-forcegate-salesforce-integration': target({ org: 'elsewhere' }) }, /'elsewhere' is not/))

  test('writing as the caller on a route no Salesforce scheme of that org protects', () =>
    refuses(
      { 'x-forcegate-salesforce-integration': target({ credential: 'caller' }) },
      /credential caller needs the route secured by an x-forcegate-salesforce scheme of org 'devorg'/,
    ))

  test('writing as the integration user of an org that has none', () =>
    refuses(
      { 'x-forcegate-salesforce-integration': target() },
      /org 'devorg' has no integrationUser/,
      devorgSalesforceYaml(org, 'TEST_SF_CONFIG_SECRET'),
    ))

  test('an upload without its record path parameter', () =>
    refuses(
      {
        security: [{ salesforce: ['api'] }],
        'x-forcegate-salesforce-integration': target({
          operation: 'upload',
          credential: 'caller',
          upload: {},
        }),
      },
      /upload\/linkToPathParameter: a required string is missing/,
    ))
})
