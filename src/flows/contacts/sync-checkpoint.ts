/**
 * Where a back-fill stands, written after every batch the org answered: the records done so
 * far, the running counts and how long the error report was. A new file replaces the old one
 * by rename, so a crash leaves either the previous checkpoint or the next, never half of one.
 * The input's size and modification time are kept: a checkpoint of another file is refused.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

export interface SyncCheckpoint {
  readonly input: { readonly path: string; readonly size: number; readonly mtimeMs: number }
  /** Records (not lines) handled, in file order: the next run starts after them. */
  readonly done: number
  readonly created: number
  readonly updated: number
  readonly failed: number
  /** Bytes of the error report that belong to the records done. */
  readonly reportBytes: number
}

export function readCheckpoint(path: string): SyncCheckpoint | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    return JSON.parse(text) as SyncCheckpoint
  } catch {
    throw new Error(`the checkpoint ${path} is unreadable; remove it (or pass --restart) to start over`)
  }
}

export function writeCheckpoint(path: string, checkpoint: SyncCheckpoint): void {
  const temporary = `${path}.tmp`
  writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`)
  renameSync(temporary, path)
}

export function sameInput(checkpoint: SyncCheckpoint, input: SyncCheckpoint['input']): boolean {
  return checkpoint.input.size === input.size && checkpoint.input.mtimeMs === input.mtimeMs
}
