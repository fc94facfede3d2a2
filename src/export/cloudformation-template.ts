/**
 * `template.yaml`: plain CloudFormation (no transform) tying the export together. The document
 * goes inline as the RestApi's Body with FailOnWarnings (an import warning fails the stack
 * instead of leaving a half-imported API); the Deployment's logical id carries a hash of the
 * document because CloudFormation redeploys an API only for a new Deployment resource.
 */
import { createHash } from 'node:crypto'
import { stringify } from 'yaml'
import { PACKAGE_HANDLER, PACKAGE_RUNTIME } from './function-package.ts'
import type { JsonRecord } from './openapi-walk.ts'
import { ORG_ENV } from './org-from-environment.ts'

export interface TemplatePlan {
  readonly name: string
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number } | undefined
  readonly quota?:
    | { readonly limit: number; readonly period: string; readonly offset?: number | undefined }
    | undefined
}

export interface TemplateInput {
  readonly title: string
  readonly document: JsonRecord
  readonly functions: readonly string[]
  readonly authorizers: readonly string[]
  readonly usagePlans: readonly TemplatePlan[]
}

const sub = (text: string) => ({ 'Fn::Sub': text })
const ref = (name: string) => ({ Ref: name })

/** A logical id: letters and digits only. */
function logicalId(prefix: string, name: string): string {
  return `${prefix}${name.replace(/[^A-Za-z0-9]/g, '')}`
}

export function cloudFormationTemplate(input: TemplateInput): JsonRecord {
  const hash = createHash('sha256').update(JSON.stringify(input.document)).digest('hex').slice(0, 12)
  const deployment = `Deployment${hash}`
  const resources: JsonRecord = {
    Api: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: { Name: input.title, Body: input.document, FailOnWarnings: true },
    },
    [deployment]: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: ref('Api') } },
    Stage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: { RestApiId: ref('Api'), DeploymentId: ref(deployment), StageName: ref('StageName') },
    },
    FunctionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        ManagedPolicyArns: [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub variables
          sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'),
        ],
        Policies: [
          {
            PolicyName: 'read-org-client-secret',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'secretsmanager:GetSecretValue',
                  Resource: ref('OrgClientSecretArn'),
                },
              ],
            },
          },
        ],
      },
    },
  }
  const lambda = (name: string, authorizer: boolean) => {
    const id = logicalId('Function', name)
    resources[id] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: name,
        Runtime: PACKAGE_RUNTIME,
        Handler: PACKAGE_HANDLER,
        Role: { 'Fn::GetAtt': ['FunctionRole', 'Arn'] },
        Code: { S3Bucket: ref('ArtifactsBucket'), S3Key: `${name}.zip` },
        ...(authorizer
          ? {
              Layers: [ref('SecretsExtensionLayerArn')],
              Environment: {
                Variables: {
                  [ORG_ENV.issuer]: ref('OrgIssuer'),
                  [ORG_ENV.orgId]: ref('OrgId'),
                  [ORG_ENV.clientId]: ref('OrgClientId'),
                  [ORG_ENV.clientSecretArn]: ref('OrgClientSecretArn'),
                },
              },
            }
          : {}),
      },
    }
    // Only this API may invoke it: its methods, or its authorizers.
    resources[logicalId('Permission', name)] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: ref(id),
        Principal: 'apigateway.amazonaws.com',
        SourceArn: sub(
          `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${Api}/${authorizer ? 'authorizers/*' : '*'}`,
        ),
      },
    }
  }
  for (const name of input.functions) lambda(name, false)
  for (const name of input.authorizers) lambda(name, true)
  for (const plan of input.usagePlans) {
    resources[logicalId('UsagePlan', plan.name)] = {
      Type: 'AWS::ApiGateway::UsagePlan',
      DependsOn: 'Stage',
      Properties: {
        UsagePlanName: plan.name,
        ApiStages: [{ ApiId: ref('Api'), Stage: ref('StageName') }],
        ...(plan.throttle === undefined
          ? {}
          : { Throttle: { RateLimit: plan.throttle.rateLimit, BurstLimit: plan.throttle.burstLimit } }),
        ...(plan.quota === undefined
          ? {}
          : {
              Quota: {
                Limit: plan.quota.limit,
                Period: plan.quota.period,
                ...(plan.quota.offset === undefined ? {} : { Offset: plan.quota.offset }),
              },
            }),
      },
    }
  }
  const text = (description: string, extra: JsonRecord = {}) => ({
    Type: 'String',
    Description: description,
    ...extra,
  })
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${input.title}, exported by forcegate`,
    Parameters: {
      ArtifactsBucket: text('The S3 bucket holding the exported zips'),
      StageName: text('The stage', { Default: 'prod' }),
      OrgIssuer: text("The Salesforce org's My Domain URL"),
      OrgId: text("The org's id (00D…)"),
      OrgClientId: text("The consumer key of the gateway's connected app (introspection)"),
      OrgClientSecretArn: text('The Secrets Manager ARN of its consumer secret'),
      SecretsExtensionLayerArn: text(
        "The AWS Parameters and Secrets Lambda Extension layer of the stack's region",
      ),
    },
    Resources: resources,
    Outputs: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub variables
      Url: { Value: sub('https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${StageName}') },
    },
  }
}

export function templateYaml(template: JsonRecord): string {
  return stringify(template, { lineWidth: 0, aliasDuplicateObjects: false })
}

export function deployNotes(stackName: string): string {
  return `# Deploy

Upload the zips, then create or update the stack (the template is sent through the bucket: an
inline API document quickly passes CloudFormation's 51,200-byte limit for a template sent
directly):

    aws s3 sync . s3://YOUR-BUCKET/ --exclude '*' --include '*.zip'
    aws cloudformation deploy --template-file template.yaml --stack-name ${stackName} \\
      --s3-bucket YOUR-BUCKET --capabilities CAPABILITY_IAM --parameter-overrides \\
      ArtifactsBucket=YOUR-BUCKET OrgIssuer=https://YOUR-DOMAIN.my.salesforce.com OrgId=00D… \\
      OrgClientId=… OrgClientSecretArn=arn:aws:secretsmanager:… SecretsExtensionLayerArn=arn:aws:lambda:…

The stack's output Url is the API's address. A new export and deploy redeploys the stage when
the document changed, and brings the partner store's current contracts to the authorizers.
`
}
