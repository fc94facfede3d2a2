/**
 * Writes the latest summary into the project README's "## Performance" section: replaces the
 * section when it exists, otherwise inserts it before "## Development". Nothing else changes.
 */
import { readFileSync, writeFileSync } from 'node:fs'

const HEADING = '## Performance'

export function updateReadme(file: string, body: string): void {
  const text = readFileSync(file, 'utf8')
  const section = `${HEADING}\n\n${body.trim()}\n\nHow the bench works and how to run parts of it: [bench/README.md](bench/README.md).\n\n`
  const start = text.indexOf(`\n${HEADING}\n`)
  if (start !== -1) {
    const after = text.indexOf('\n## ', start + HEADING.length + 2)
    const end = after === -1 ? text.length : after + 1
    writeFileSync(file, `${text.slice(0, start + 1)}${section}${text.slice(end)}`)
    return
  }
  const dev = text.indexOf('\n## Development\n')
  if (dev === -1) writeFileSync(file, `${text.trimEnd()}\n\n${section.trimEnd()}\n`)
  else writeFileSync(file, `${text.slice(0, dev + 1)}${section}${text.slice(dev + 1)}`)
}
