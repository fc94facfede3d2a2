import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parse } from 'yaml'
import { cloudFormationTemplate, templateYaml } from '../../../src/export/cloudformation-template.ts'
import { specProblems } from './cloudformation-spec.ts'

const input = {
  title: 'Orders',
  document: { openapi: '3.0.1', info: { title: 'Orders', version: '1' }, paths: {} },
  functions: ['order-status'],
  authorizers: ['forcegate-authorizer-salesforce'],
  usagePlans: [
    { name: 'standard', throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: 'DAY' } },
    { name: 'trial', quota: { limit: 5, period: 'DAY' } },
  ],
}
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> }
const build = (over = {}) => parse(templateYaml(cloudFormationTemplate({ ...input, ...over }))) as Template
const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type)

test("the template's resources validate against AWS's resource specification", () => {
  assert.deepEqual(specProblems(build()), [])
})

test('the validation catches a wrong type, a missing required property, an unknown property or type', () => {
  const t = build() as any
  t.Resources.Api.Properties.FailOnWarnings = 'yes'
  delete t.Resources.Stage.Properties.RestApiId
  t.Resources.UsagePlanstandard.Properties.Quota.Limit = '5'
  t.Resources.Api.Properties.Nope = 1
  t.Resources.Bogus = { Type: 'AWS::ApiGateway::Nothing' }
  assert.deepEqual(specProblems(t), [
    'Api.Properties.FailOnWarnings: expected boolean, found "yes"',
    'Api.Properties.Nope: no such property',
    'Stage.Properties.RestApiId: required',
    'UsagePlanstandard.Properties.Quota.Limit: expected integer, found "5"',
    'Bogus: unknown type AWS::ApiGateway::Nothing',
  ])
})

test('the document inline with FailOnWarnings; a Deployment whose logical id changes with the document', () => {
  const t = build()
  assert.deepEqual(t.Resources.Api!.Properties.Body, input.document)
  assert.equal(t.Resources.Api!.Properties.FailOnWarnings, true)
  const [id] = ofType(t, 'AWS::ApiGateway::Deployment')[0]!
  const changed = build({ document: { ...input.document, info: { title: 'Orders', version: '2' } } })
  const [other] = ofType(changed, 'AWS::ApiGateway::Deployment')[0]!
  assert.notEqual(id, other)
  assert.deepEqual(t.Resources.Stage!.Properties.DeploymentId, { Ref: id })
  assert.equal(ofType(build(), 'AWS::ApiGateway::Deployment')[0]![0], id, 'the same document, the same id')
})

test('each function may be invoked by this API only; the authorizer reads its org from parameters', () => {
  const t = build()
  const permissions = ofType(t, 'AWS::Lambda::Permission').map(([, r]) => r.Properties)
  assert.deepEqual(
    permissions.map((p) => [p.FunctionName, p.Principal, p.SourceArn]),
    [
      [
        { Ref: 'Functionorderstatus' },
        'apigateway.amazonaws.com',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub variables
        { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*' },
      ],
      [
        { Ref: 'Functionforcegateauthorizersalesforce' },
        'apigateway.amazonaws.com',
        {
          'Fn::Sub':
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub variables
            'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/*',
        },
      ],
    ],
  )
  const authorizer = t.Resources.Functionforcegateauthorizersalesforce!.Properties
  assert.equal(authorizer.FunctionName, 'forcegate-authorizer-salesforce')
  assert.equal(authorizer.Handler, 'index.handler')
  assert.deepEqual(authorizer.Environment.Variables.FORCEGATE_ORG_CLIENT_SECRET_ARN, {
    Ref: 'OrgClientSecretArn',
  })
  assert.equal(authorizer.Environment.Variables.FORCEGATE_ORG_CLIENT_SECRET, undefined)
  assert.deepEqual(
    ofType(t, 'AWS::ApiGateway::UsagePlan').map(([, r]) => r.Properties.UsagePlanName),
    ['standard', 'trial'],
  )
})
