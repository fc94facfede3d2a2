/**
 * One autocannon run in its own (pinned) process, for machines without wrk. Reads a job file
 * written by loadgen.ts and prints one JSON line in the shape of RunResult. Rotating tokens
 * use a `setupRequest` hook that sets the next token on every request.
 *
 *   node bench/lib/autocannon-run.ts <job.json>
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

interface Job {
  readonly request: {
    url: string
    method?: string
    headers: Record<string, string>
    bodyBytes?: number
  }
  readonly spec: { connections: number; durationSeconds: number }
  readonly tokens: string[] | null
  readonly peerDir: string
}

const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Job
const entry = join(job.peerDir, 'node_modules', 'autocannon', 'autocannon.js')
const { default: autocannon } = (await import(pathToFileURL(entry).href)) as { default: any }
const { request, spec, tokens } = job
const body =
  request.bodyBytes !== undefined && request.bodyBytes > 0 ? 'x'.repeat(request.bodyBytes) : undefined
let i = 0
const result = await autocannon({
  url: request.url,
  connections: spec.connections,
  duration: spec.durationSeconds,
  method: body === undefined ? (request.method ?? 'GET') : 'POST',
  headers:
    body === undefined ? request.headers : { ...request.headers, 'content-type': 'application/octet-stream' },
  ...(body === undefined ? {} : { body }),
  ...(tokens === null
    ? {}
    : {
        requests: [
          {
            setupRequest: (req: { headers: Record<string, string> }) => {
              i = (i + 1) % tokens.length
              req.headers = { ...req.headers, Authorization: `Bearer ${tokens[i]}` }
              return req
            },
          },
        ],
      }),
})
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.total / (result.duration || spec.durationSeconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  })}\n`,
)
