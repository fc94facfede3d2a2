/**
 * Runs Debian's nginx with a configuration written at run time into the scratch folder: one
 * worker (one core, like one Node process), no access log, keep-alive to the upstreams.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Bounded, runBounded, spawnBounded, waitForPort } from './proc.ts'
import { type BenchContext, Unavailable } from './scenario.ts'
import { which } from './tools.ts'

export function nginxHttpBlock(body: string): string {
  return `worker_processes 1;
daemon off;
pid nginx.pid;
error_log error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  client_body_temp_path tmp/cbt; proxy_temp_path tmp/pt; fastcgi_temp_path tmp/ft; uwsgi_temp_path tmp/ut; scgi_temp_path tmp/st;
${body}
}
`
}

export async function startNginx(ctx: BenchContext, name: string, config: string): Promise<Bounded> {
  const nginx = which('nginx') ?? (which('/usr/sbin/nginx') === undefined ? undefined : '/usr/sbin/nginx')
  if (nginx === undefined) throw new Unavailable('nginx is not installed')
  const prefix = join(ctx.workDir, name)
  mkdirSync(join(prefix, 'tmp'), { recursive: true })
  writeFileSync(join(prefix, 'nginx.conf'), config)
  const test = await runBounded(nginx, ['-t', '-q', '-p', `${prefix}/`, '-c', 'nginx.conf'], {
    timeoutSeconds: 20,
  })
  if (test.code !== 0) throw new Unavailable(`nginx -t: ${test.output.trim().split('\n')[0]}`)
  const port = Number(/listen 127\.0\.0\.1:(\d+)/.exec(config)?.[1])
  const handle = spawnBounded(nginx, ['-p', `${prefix}/`, '-c', 'nginx.conf'], {
    name,
    lifetimeSeconds: ctx.lifetimeSeconds,
    cpus: ctx.cpus.server,
    logFile: join(ctx.logDir, `${name}.log`),
  })
  await waitForPort(handle, port, 15_000)
  return handle
}
