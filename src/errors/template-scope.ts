/**
 * Values a gateway response may reference. AWS documents gateway response templates as "not
 * processed by the VTL engine", supporting "only simple variable substitution": `$context.*`,
 * `$stageVariables.*` and method request parameters are substituted and anything else (a `#if`,
 * `$input`, `$util`) stays as written, which is all this does. Mapping templates of
 * integrations run on the Velocity engine in integrations/mapping instead.
 */
export interface TemplateScope {
  readonly context: Readonly<Record<string, string>>
  readonly stageVariables: Readonly<Record<string, string>>
  readonly headers: ReadonlyMap<string, readonly string[]>
  readonly query: ReadonlyMap<string, readonly string[]>
  readonly pathParameters: Readonly<Record<string, string>>
  readonly error?: {
    readonly message: string | null
    readonly responseType: string
    readonly validationErrorString?: string | undefined
  }
}

function lookupContext(path: string, scope: TemplateScope): string | undefined {
  if (scope.error !== undefined) {
    if (path === 'error.message') return scope.error.message ?? ''
    if (path === 'error.messageString') return JSON.stringify(scope.error.message)
    if (path === 'error.responseType') return scope.error.responseType
    if (path === 'error.validationErrorString') return scope.error.validationErrorString ?? ''
  }
  return scope.context[path]
}

const TEMPLATE_VARIABLE = /\$(?:\{(context|stageVariables)\.([\w.]+)\}|(context|stageVariables)\.([\w.]*\w))/g

export function substituteTemplate(template: string, scope: TemplateScope): string {
  return template.replace(TEMPLATE_VARIABLE, (whole, braceRoot, bracePath, root, path) => {
    const r = (braceRoot ?? root) as string
    const p = (bracePath ?? path) as string
    const value = r === 'context' ? lookupContext(p, scope) : scope.stageVariables[p]
    return value ?? (r === 'context' && p.startsWith('error.') ? whole : '')
  })
}

/** Resolves a `responseParameters` source: `'literal'`, `method.request.header.X`, `context.X`, … */
export function resolveParameter(expression: string, scope: TemplateScope): string | undefined {
  if (expression.length >= 2 && expression.startsWith("'") && expression.endsWith("'"))
    return expression.slice(1, -1)
  const [root, kind, ...rest] = expression.split('.')
  if (root === 'context') return lookupContext([kind, ...rest].join('.'), scope)
  if (root === 'stageVariables' && kind !== undefined) return scope.stageVariables[kind]
  if (root !== 'method' || kind !== 'request') return undefined
  const [where, ...nameParts] = rest
  const name = nameParts.join('.')
  if (where === 'header') return scope.headers.get(name.toLowerCase())?.at(-1)
  if (where === 'querystring') return scope.query.get(name)?.at(-1)
  if (where === 'path') return scope.pathParameters[name]
  return undefined
}
