import { resolve } from 'node:path'
import type { JsonObject } from '../field-reader.ts'
import { FieldReader, isObject } from '../field-reader.ts'
import type { ApiDefinition } from '../openapi/api-definition.ts'
import { readApiDocument } from '../openapi/read-api-document.ts'
import { openApi3Document } from '../openapi/swagger2-to-openapi3.ts'
import { childPointer, type SourceDocument } from '../source-document.ts'
import type { SamOptions } from './read-sam-template.ts'
import type { Intrinsics } from './resolve-intrinsics.ts'

/** The API's own OpenAPI document, inline or beside the template, read by the OpenAPI reader. */
export async function definition(
  r: FieldReader,
  cfn: Intrinsics,
  props: JsonObject,
  pointer: string,
  folder: string,
  doc: SourceDocument,
  isHttp: boolean,
  options: Pick<SamOptions, 'loadDocument'>,
): Promise<(ApiDefinition & { doc: SourceDocument }) | undefined> {
  let source: SourceDocument
  // A separate file's unresolvable intrinsics are reported at its own lines.
  let own: FieldReader | undefined
  const load = async (file: string): Promise<SourceDocument> => {
    const loaded = await options.loadDocument(resolve(folder, file))
    const reader = new FieldReader(loaded)
    own = reader
    return { ...loaded, data: cfn.resolve(loaded.data, '', (p, e) => reader.fail(p, e)) }
  }
  const included = includedLocation(props.DefinitionBody)
  if (included !== undefined) {
    const lp = ['DefinitionBody', 'Fn::Transform', 'Parameters', 'Location'].reduce(childPointer, pointer)
    if (typeof included !== 'string' || /^s3:\/\//i.test(included))
      return r.fail(lp, 'expected a file beside the template (S3 locations are not read)')
    source = await load(included)
  } else if (props.DefinitionBody !== undefined) {
    const bp = childPointer(pointer, 'DefinitionBody')
    const data = cfn.resolve(props.DefinitionBody, bp, (p, e) => r.fail(p, e))
    source = { file: doc.file, data, lineOf: (p) => doc.lineOf(bp + p) }
  } else if (typeof props.DefinitionUri === 'string' && !/^s3:\/\//i.test(props.DefinitionUri)) {
    source = await load(props.DefinitionUri)
  } else if (props.DefinitionUri !== undefined) {
    return r.fail(
      childPointer(pointer, 'DefinitionUri'),
      'expected a file beside the template (S3 locations are not read)',
    )
  } else return undefined
  // What could not be resolved is already reported where it is written.
  if (source.data === undefined) return undefined
  // A Swagger 2.0 definition is read (and reported) as the OpenAPI 3 document it converts to.
  source = openApi3Document(source)
  if (
    isHttp &&
    isObject(source.data) &&
    source.data['x-amazon-apigateway-importexport-version'] === undefined
  )
    source = { ...source, data: { ...source.data, 'x-amazon-apigateway-importexport-version': '1.0' } }
  const read = readApiDocument(source)
  return { ...read, problems: [...(own?.errors ?? []), ...read.problems], doc: source }
}

/** `DefinitionBody: { Fn::Transform: { Name: AWS::Include, Parameters: { Location } } }`. */
function includedLocation(body: unknown): unknown {
  if (!isObject(body) || !isObject(body['Fn::Transform'])) return undefined
  const transform = body['Fn::Transform']
  if (transform.Name !== 'AWS::Include') return undefined
  return isObject(transform.Parameters) ? transform.Parameters.Location : null
}
