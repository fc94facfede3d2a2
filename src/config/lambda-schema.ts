import { Type } from '@sinclair/typebox'

/** A function (name or ARN glob) that runs on AWS Lambda instead of as a local module. */
export const RemoteLambdaRuleSchema = Type.Object(
  {
    match: Type.String({
      pattern: '^[A-Za-z0-9_*:$.-]+$',
      description: 'Function name or ARN; * stands for any run of characters. The first matching rule wins.',
    }),
    region: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9-]+$',
        description: "Region to call; default the function ARN's region, then the AWS SDK's.",
      }),
    ),
    endpoint: Type.Optional(
      Type.String({ pattern: '^https?://', description: "Lambda endpoint URL; default the AWS SDK's." }),
    ),
  },
  { additionalProperties: false },
)

export const LambdaSchema = Type.Object(
  {
    remote: Type.Array(RemoteLambdaRuleSchema, {
      default: [],
      description: 'Functions routed to AWS Lambda; the rest run from the functions folders.',
    }),
  },
  { additionalProperties: false, default: {} },
)
