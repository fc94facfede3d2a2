import type { RouteTable } from '../pipeline/types.ts'

/** The start-up table: every route with its stages in order, so the pipeline is never a guess. */
export function formatRouteTable(table: RouteTable, url: string): string {
  const lines = [`forcegate: ${table.title} (${table.dialect.label}, stage ${table.stage}) on ${url}`]
  const width = Math.max(...table.routes.map((r) => r.routeKey.length), 10)
  for (const route of table.routes) {
    const stages = ['receive', 'route']
    if (route.auth !== undefined) stages.push(`identify+authenticate+authorize[${route.auth.description}]`)
    stages.push(`integrate[${route.integration.description}]`, 'respond')
    lines.push(`  ${route.routeKey.padEnd(width)}  ${stages.join(' → ')}`)
    // Non-proxy integrations: their request and response templates, one line each.
    for (const line of route.integration.mapping ?? []) lines.push(`  ${''.padEnd(width)}    ${line}`)
  }
  return `${lines.join('\n')}\n`
}
