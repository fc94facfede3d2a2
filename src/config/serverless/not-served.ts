import { type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { childPointer } from '../source-document.ts'

/**
 * What a service asks that serving does not run, named at start-up: serverless-offline's own
 * settings, plugins (serverless-offline itself is expected), custom CloudFormation resources.
 */
const NO_PREFIX = 'noPrependStageInUrl'

/**
 * serverless-offline's `noPrependStageInUrl`: the REST events are served at `/path` only, not
 * also at `/<stage>/path` as serverless-offline (and the execute-api domain) serve them.
 */
export function noPrependStage(root: JsonObject): boolean {
  const offline = isObject(root.custom) ? root.custom['serverless-offline'] : undefined
  return isObject(offline) && offline[NO_PREFIX] === true
}

export function checkUnsupported(r: FieldReader, root: JsonObject): void {
  // serverless-offline's own settings (port, noAuth, prefix…) change nothing AWS would answer.
  const offline = isObject(root.custom) ? root.custom['serverless-offline'] : undefined
  if (isObject(offline))
    for (const key of Object.keys(offline))
      if (key !== NO_PREFIX)
        r.fail(
          childPointer('/custom/serverless-offline', key),
          `serverless-offline's ${key} is not read: forcegate serves the API as AWS does (see forcegate serve --help for its own options)`,
        )
  const plugins = root.plugins
  const list = isObject(plugins) ? plugins.modules : plugins
  if (Array.isArray(list))
    list.forEach((plugin, i) => {
      if (plugin === 'serverless-offline') return
      r.fail(
        childPointer(isObject(plugins) ? '/plugins/modules' : '/plugins', i),
        `plugin ${String(plugin)} is not run: forcegate serves the service as the framework deploys it without plugins`,
      )
    })
  const resources = isObject(root.resources) ? root.resources.Resources : undefined
  if (isObject(resources))
    for (const name of Object.keys(resources))
      r.fail(
        childPointer('/resources/Resources', name),
        'custom CloudFormation resources are not created locally',
      )
}
