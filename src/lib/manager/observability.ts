// The manager's observability address: Prometheus metrics and the cluster page
// on one plain-HTTP listener (--metrics-addr), both fed by the store and this
// manager's events.
import type { Server } from 'node:http'
import type { ClusterEvents } from '../events/index.js'
import type { Store } from '../store/index.js'
import type { Membership } from './membership.js'

export interface Observability {
  /** The address of the page, with its token. */
  pageUrl: string
  stop(): Promise<void>
}

/** Serves metrics and the page at `addr`; the page's token lives in `managerDir`. Rejects when the address cannot be had. */
export async function startObservability(opts: {
  addr: string
  store: Store
  events: ClusterEvents
  membership: Membership
  managerDir: string
}): Promise<Observability> {
  // Loaded only when asked for: prom-client is not needed otherwise.
  const [{ SwarmMetrics, serveObservability }, { pageHandler, pageToken }] = await Promise.all([import('../metrics/index.js'), import('../ui/index.js')])
  const { store, events, membership } = opts
  const metrics = new SwarmMetrics({ store, events, isLeader: () => membership.isLeader })
  const token = pageToken(opts.managerDir)
  const leader = async () => (await membership.managers())[0]?.NodeID
  let server: Server
  try {
    server = await serveObservability(opts.addr, metrics, pageHandler({ store, events, token, leader }))
  } catch (err) {
    metrics.stop()
    throw err
  }
  return {
    pageUrl: `http://${opts.addr}/?token=${token}`,
    stop: async () => {
      metrics.stop()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
