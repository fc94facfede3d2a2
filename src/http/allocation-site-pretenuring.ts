import { setFlagsFromString } from 'node:v8'

let applied = false

/**
 * Turns off V8's allocation-site pretenuring for this process, once.
 *
 * Under load, V8 sees the objects of a request (the parsed request and response, headers, the
 * upstream call) survive a scavenge while a hundred requests are in flight, and from then on
 * allocates them straight into old space. Every request then lives until the next full
 * collection: measured on the passthrough route at 100 connections, about 10 MB promoted per
 * scavenge instead of 0.1 MB, scavenges of 20 ms instead of 2, a mark-compact every ~3 s, and
 * peak RSS 100 MB higher. A request's objects die within milliseconds, so the young generation
 * is where they belong. Set at run time, the flag applies from the next decision V8 makes.
 */
export function disableAllocationSitePretenuring(): void {
  if (applied) return
  applied = true
  setFlagsFromString('--no-allocation-site-pretenuring')
}
