import { extname, resolve } from 'node:path'
import { describe, type FieldReader, isObject, type JsonObject } from '../field-reader.ts'
import { splitHandler } from '../serverless/function-source.ts'
import { childPointer } from '../source-document.ts'

/** Where a function's handler module is: absolute path without extension, and its export. */
export interface FunctionCode {
  readonly modulePath: string
  readonly exportName: string
}

/**
 * The module an `AWS::Serverless::Function` runs, or undefined (with the reason named) when it
 * cannot run here. Node.js runtimes run; another runtime, `InlineCode`, an image or code in S3
 * is a problem when the function serves an Api or HttpApi event, and only named at start-up
 * otherwise (the API is served without it). `Metadata.BuildMethod: esbuild` builds
 * `BuildProperties.EntryPoints` into `<entry>.js`: the handler's module is that entry's source.
 */
export function functionCode(
  r: FieldReader,
  notes: FieldReader,
  resource: JsonObject,
  props: JsonObject,
  pointer: string,
  folder: string,
  servesHttp: boolean,
): FunctionCode | undefined {
  const report = (key: string, why: string): undefined =>
    servesHttp
      ? r.fail(childPointer(pointer, key), why)
      : notes.fail(
          childPointer(pointer, key),
          `${why}; it serves no Api or HttpApi event, so the API is served without it`,
        )
  const runtime = props.Runtime
  if (typeof runtime === 'string' && !runtime.startsWith('nodejs'))
    return report(
      'Runtime',
      `expected a Node.js runtime (nodejs20.x, nodejs22.x…), found '${runtime}': only Node.js handlers run in the gateway`,
    )
  if (props.PackageType === 'Image') return report('PackageType', 'container image functions are not run')
  if (props.InlineCode !== undefined)
    return report('InlineCode', 'InlineCode is not run: put the handler in a file under CodeUri')
  const handler = r.string(props, 'Handler', pointer, true)
  const parts = handler === undefined ? undefined : splitHandler(handler)
  if (handler !== undefined && parts === undefined)
    r.fail(childPointer(pointer, 'Handler'), `expected file.export (app.handler), found '${handler}'`)
  const codeUri = props.CodeUri ?? '.'
  if (typeof codeUri !== 'string' || /^s3:\/\//i.test(codeUri))
    return r.fail(
      childPointer(pointer, 'CodeUri'),
      `expected a folder beside the template, found ${describe(codeUri)} (code in S3 is not fetched)`,
    )
  if (parts === undefined) return undefined
  const module = entryPoint(resource, parts.module) ?? parts.module
  return { modulePath: resolve(folder, codeUri, module), exportName: parts.exportName }
}

/** The esbuild entry point (`app.ts`, `src/handlers/app.ts`) that builds into the handler's module. */
function entryPoint(resource: JsonObject, module: string): string | undefined {
  const metadata = isObject(resource.Metadata) ? resource.Metadata : {}
  if (metadata.BuildMethod !== 'esbuild') return undefined
  const build = isObject(metadata.BuildProperties) ? metadata.BuildProperties : {}
  const entries = Array.isArray(build.EntryPoints)
    ? build.EntryPoints.filter((e): e is string => typeof e === 'string')
    : []
  const bare = entries.map((e) => e.slice(0, e.length - extname(e).length).replace(/^\.\//, ''))
  const clean = module.replace(/^\.\//, '')
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1)
  return bare.find((e) => e === clean) ?? bare.find((e) => base(e) === base(clean))
}
