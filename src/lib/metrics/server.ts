// The observability address (--metrics-addr): plain HTTP, GET /metrics for
// Prometheus (open, as dockerd's metrics address is), everything else handed
// to `other` (the cluster page, which checks its own token).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { splitHostPort } from '../manager/addresses.js'
import type { SwarmMetrics } from './swarm-metrics.js'

/** Answers a request, or returns false to let it be a 404. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => boolean

/** Listens on `addr` (HOST:PORT); resolves once listening. Rejects when the address cannot be had. */
export async function serveObservability(addr: string, metrics: SwarmMetrics, other?: PageHandler): Promise<Server> {
  const { host, port } = splitHostPort(addr, 'metrics address')
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://manager').pathname
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      metrics.metrics().then((text) => {
        res.writeHead(200, { 'Content-Type': metrics.contentType })
        res.end(req.method === 'HEAD' ? undefined : text)
      }, (err: Error) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(`metrics: ${err.message}\n`)
      })
      return
    }
    if (other?.(req, res)) return
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('404 page not found\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return server
}
