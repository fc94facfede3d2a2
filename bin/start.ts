/**
 * `npm start`: the whole product on one machine with the embedded defaults: the order-status
 * example served on http://127.0.0.1:8080, with what to try printed once it is up.
 */
import { formatRouteTable } from '../src/cli/format-route-table.ts'
import { guardProcess } from '../src/cli/guard-process.ts'
import { startGateway } from '../src/gateway.ts'

const port = Number(process.env.PORT ?? 8080)
const gateway = await startGateway({ apiFile: 'examples/order-status/openapi.yaml', port })
process.stderr.write(formatRouteTable(gateway.table, gateway.url))
guardProcess((kind, err) =>
  process.stderr.write(`forcegate: ${kind} outside any request (kept serving): ${String(err)}\n`),
)
process.stderr.write(`
Try it:
  curl ${gateway.url}/orders
  curl ${gateway.url}/orders/1001
  curl '${gateway.url}/orders?status=shipped'
  curl -i ${gateway.url}/nope        # 403 Missing Authentication Token, as API Gateway answers

Ctrl-C stops it.
`)
const stop = async (): Promise<void> => {
  await gateway.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
