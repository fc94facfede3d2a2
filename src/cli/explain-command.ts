import { parseArgs } from 'node:util'
import { prepareGateway } from '../gateway.ts'
import { createLogger } from '../observability/logger.ts'
import { type Explanation, explainRequest } from '../pipeline/explain.ts'
import { API_OPTIONS } from './api-options.ts'
import { type CliIo, UsageError } from './run-cli.ts'

export const EXPLAIN_USAGE = `forcegate explain --api <file> --request "METHOD /path" [--request …] [options]
  Runs each request through routing and the authorizer (never an integration with effects),
  in order, and prints every decision: route, identity sources (hashed), cache hit or
  invocation, the method ARN and the policy statement that decided, and the final status.
  --api <file>            the API document (required)
  --request, -X <req>     "METHOD /path?query"; repeatable, run in order through one gateway
  --header, -H <header>   "Name: value" sent with every request; repeatable
  --config <file>         forcegate.yaml
  --functions <dir>       folder of Lambda handler modules; repeatable
  --stage <name>          stage name
  --json                  the trails as JSON (stdout holds nothing else)
  --help                  show this help
`

/**
 * `forcegate explain --api FILE --request "GET /path" [-H "Name: value"]… [--json]`. Several
 * `--request`s run in order through one gateway, so the second shows the authorizer cache.
 */
export async function explainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parse>['values']
  try {
    values = parse(argv).values
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (values.help === true) {
    io.out(EXPLAIN_USAGE)
    return 0
  }
  if (values.api === undefined) throw new UsageError('explain needs --api <openapi file>')
  const requests = values.request ?? []
  if (requests.length === 0) throw new UsageError('explain needs at least one --request "METHOD /path"')
  const headers = (values.header ?? []).map((h): [string, string] => {
    const colon = h.indexOf(':')
    if (colon <= 0) throw new UsageError(`-H expects "Name: value", found '${h}'`)
    return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()]
  })
  const { table } = await prepareGateway({
    apiFile: values.api,
    ...(values.config === undefined ? {} : { configFile: values.config }),
    ...(values.functions === undefined ? {} : { functionsFolders: values.functions }),
    ...(values.stage === undefined ? {} : { stage: values.stage }),
    logger: createLogger('silent'),
  })
  const results: Explanation[] = []
  for (const request of requests) {
    const [method, target, extra] = request.trim().split(/\s+/)
    if (method === undefined || target === undefined || extra !== undefined || !target.startsWith('/')) {
      throw new UsageError(`--request expects "METHOD /path?query", found '${request}'`)
    }
    results.push(await explainRequest(table, { method, target, headers }, Date.now))
  }
  await table.close()
  io.out(
    values.json === true
      ? `${JSON.stringify(results, null, 2)}\n`
      : results.map(formatExplanation).join('\n'),
  )
  return 0
}

export function formatExplanation(e: Explanation): string {
  const lines = [`${e.request}`]
  for (const { step, detail } of e.steps) {
    const parts = Object.entries(detail)
      .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    lines.push(`  ${step.padEnd(13)} ${parts.join('  ')}`)
  }
  lines.push(`  ${'decision'.padEnd(13)} ${e.status} ${e.outcome}`)
  return `${lines.join('\n')}\n`
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...API_OPTIONS,
      request: { type: 'string', short: 'X', multiple: true },
      header: { type: 'string', short: 'H', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}
