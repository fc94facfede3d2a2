import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit, YAMLMap } from 'yaml'
import { ConfigError } from '../../errors/config-error.ts'
import { pointerSegments, type SourceDocument } from '../source-document.ts'

/** CloudFormation's short forms and the functions they stand for. */
const SHORT_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!Cidr': 'Fn::Cidr',
  '!Transform': 'Fn::Transform',
}

/**
 * Parses a CloudFormation/SAM template, YAML or JSON. The short tags (`!Ref x`, `!GetAtt a.b`,
 * `!Sub [..]`) become the long form (`{ Ref: x }`, `{ 'Fn::GetAtt': [a, b] }`) in place, so
 * resolving intrinsics sees one shape and pointers still name the template's lines.
 */
export function parseTemplateText(file: string, text: string): SourceDocument {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false })
  const first = doc.errors[0]
  if (first !== undefined)
    throw new ConfigError(
      file,
      '',
      `not valid YAML or JSON (${first.code}: ${first.message.split('\n')[0]})`,
      lineCounter.linePos(first.pos[0]).line,
    )
  visit(doc, (_key, node) => {
    if (!(isScalar(node) || isSeq(node) || isMap(node))) return undefined
    const fn = node.tag === undefined ? undefined : SHORT_TAGS[node.tag]
    if (fn === undefined) return undefined
    delete node.tag
    let value: Node = node
    // `!GetAtt Fn.Arn` is the scalar form of ['Fn', 'Arn'].
    if (fn === 'Fn::GetAtt' && isScalar(node) && typeof node.value === 'string') {
      const dot = node.value.indexOf('.')
      value = doc.createNode([node.value.slice(0, dot), node.value.slice(dot + 1)]) as Node
      value.range = node.range ?? null
    }
    const wrapper = new YAMLMap()
    wrapper.set(doc.createNode(fn), value)
    wrapper.range = node.range ?? null
    return wrapper
  })
  const unknown = doc.warnings.find(
    (w) => w.code === 'TAG_RESOLVE_FAILED' && SHORT_TAGS[/(!\S+)/.exec(w.message)?.[1] ?? ''] === undefined,
  )
  if (unknown !== undefined)
    throw new ConfigError(
      file,
      '',
      `${unknown.message.split('\n')[0]} (not a CloudFormation function)`,
      lineCounter.linePos(unknown.pos[0]).line,
    )
  return {
    file,
    data: doc.toJS({ maxAliasCount: 100 }),
    lineOf(pointer) {
      const segments = pointerSegments(pointer)
      for (let depth = segments.length; depth >= 0; depth--) {
        const node = doc.getIn(segments.slice(0, depth), true) as
          | { range?: [number, number, number] }
          | undefined
        const range = node?.range
        if (range !== undefined) return lineCounter.linePos(range[0]).line
      }
      return undefined
    },
  }
}
