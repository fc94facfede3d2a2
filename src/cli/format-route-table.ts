import type { RouteTable } from '../pipeline/types.ts'

/** The start-up table: every route with its stages in order, so the pipeline is never a guess. */
export function formatRouteTable(table: RouteTable, url: string): string {
  const under = table.stagePrefix === undefined ? '' : ` and ${url}${table.stagePrefix}`
  const lines = [`forcegate: ${table.title} (${table.dialect.label}, stage ${table.stage}) on ${url}${under}`]
  const width = Math.max(...table.routes.map((r) => r.routeKey.length), 10)
  for (const route of table.routes) {
    const stages = ['receive', 'route']
    const auth = route.auth
    if (auth !== undefined) {
      // A Lambda authorizer authenticates and authorizes in one call: its checks list is empty.
      stages.push(
        auth.checks.length === 0
          ? `authenticate+authorize[${auth.description}]`
          : `authenticate[${auth.description}] → authorize[${auth.checks.map((c) => c.name).join(', ')}]`,
        'enrich',
      )
    }
    stages.push(`integrate[${route.integration.description}]`, 'respond')
    lines.push(`  ${route.routeKey.padEnd(width)}  ${stages.join(' → ')}`)
    // Non-proxy integrations: their request and response templates, one line each.
    for (const line of route.integration.mapping ?? []) lines.push(`  ${''.padEnd(width)}    ${line}`)
  }
  return `${lines.join('\n')}\n`
}
