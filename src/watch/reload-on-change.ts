import { type FSWatcher, watch } from 'node:fs'
import { sep } from 'node:path'
import { nextModuleGeneration, reloadModulesUnder } from './module-generations.ts'

export interface ReloadOptions {
  /** Folders and files whose changes reload (the API definition's folder, functions, config). */
  readonly paths: readonly string[]
  /** Folders whose modules (handlers and what they import) are imported afresh on a reload. */
  readonly moduleFolders: readonly string[]
  /**
   * Reads, loads and compiles everything again and serves it; throws, changing nothing, when
   * the new definition does not compile.
   */
  reload(): Promise<void>
  readonly onReloaded: (changed: readonly string[]) => void
  readonly onRefused: (err: unknown, changed: readonly string[]) => void
  /** Changes closer together than this are one reload (an editor writes a file in steps). */
  readonly settleMs?: number
  readonly setTimer?: (run: () => void, ms: number) => { unref(): void }
  readonly clearTimer?: (timer: unknown) => void
}

export interface Reloader {
  close(): void
}

/** What the gateway writes beside a project (compiled handlers, stores) is not a change to it. */
const IGNORED = [`${sep}.forcegate${sep}`, `${sep}node_modules${sep}`, `${sep}.git${sep}`]

/**
 * Watches `paths` and reloads after each burst of changes, one reload at a time: a change that
 * arrives during a reload schedules another. A reload that fails leaves what serves untouched.
 */
export function reloadOnChange(options: ReloadOptions): Reloader {
  const settleMs = options.settleMs ?? 100
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms))
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout))
  let changed = new Set<string>()
  let timer: { unref(): void } | undefined
  let running = false
  let again = false
  let closed = false

  const reload = async (): Promise<void> => {
    if (running) {
      again = true
      return
    }
    running = true
    const batch = [...changed]
    changed = new Set()
    try {
      if (closed) return
      nextModuleGeneration()
      await options.reload()
      options.onReloaded(batch)
    } catch (err) {
      options.onRefused(err, batch)
    } finally {
      running = false
      if (again && !closed) {
        again = false
        void reload()
      }
    }
  }

  const onChange = (base: string, file: string | null): void => {
    const path = file === null ? base : `${base}${sep}${file}`
    if (IGNORED.some((part) => `${sep}${path}`.includes(part))) return
    changed.add(path)
    if (timer !== undefined) clearTimer(timer)
    timer = setTimer(() => {
      timer = undefined
      void reload()
    }, settleMs)
    timer.unref()
  }

  for (const folder of options.moduleFolders) reloadModulesUnder(folder)
  const watchers: FSWatcher[] = options.paths.map((path) =>
    watch(path, { recursive: true, persistent: false }, (_event, file) => onChange(path, file)),
  )
  return {
    close() {
      closed = true
      if (timer !== undefined) clearTimer(timer)
      for (const w of watchers) w.close()
    },
  }
}
