import { readFile } from 'node:fs/promises'
import { LineCounter, parseDocument } from 'yaml'
import { ConfigError } from '../errors/config-error.ts'

/** A parsed YAML or JSON file that can say which line a JSON pointer points at. */
export interface SourceDocument {
  readonly file: string
  readonly data: unknown
  lineOf(pointer: string): number | undefined
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`
}

/** Parses text (JSON is read as the YAML subset it is); syntax errors carry their line. */
export function parseSourceText(file: string, text: string): SourceDocument {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false })
  const first = doc.errors[0]
  if (first !== undefined) {
    const line = lineCounter.linePos(first.pos[0]).line
    throw new ConfigError(
      file,
      '',
      `not valid YAML or JSON (${first.code}: ${first.message.split('\n')[0]})`,
      line,
    )
  }
  return {
    file,
    data: doc.toJS({ maxAliasCount: 100 }),
    lineOf(pointer) {
      // A field that is missing is reported at the object it is missing from: where to add it.
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

export async function loadSourceDocument(file: string): Promise<SourceDocument> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ConfigError(
      file,
      '',
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? 'error'})`,
    )
  }
  return parseSourceText(file, text)
}
