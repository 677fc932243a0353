// The manager's HTTP API: the swarm part of the Docker Engine API, plus the
// join handshake under /tsw.
import { networkRoutes } from './routes/networks.js'
import type { Server } from 'node:https'
import type { Node } from '../types/index.js'
import { serveUpgrades } from './upgrade.js'
import { authorizer } from './authorize.js'
import { forwardToLeader, mustForward } from './forward.js'
import type { ApiContext } from './context.js'
import { Router } from './router.js'
import { caRoutes } from './routes/ca.js'
import { containerRoutes } from './routes/containers.js'
import { eventRoutes } from './routes/events.js'
import { joinRoutes } from './routes/join.js'
import { nodeRoutes } from './routes/nodes.js'
import { serviceRoutes } from './routes/services.js'
import { swarmRoutes } from './routes/swarm.js'
import { systemRoutes } from './routes/system.js'
import { createApiServer, type ServerTls } from './server.js'

export type { ApiContext, LogOptions } from './context.js'
export { TSW_VERSION } from './routes/system.js'

/** The manager's HTTPS server with every route. */
export function buildApiServer(ctx: ApiContext, tls: ServerTls): Server {
  const router = new Router()
  systemRoutes(router, ctx)
  swarmRoutes(router, ctx)
  nodeRoutes(router, ctx)
  serviceRoutes(router, ctx)
  joinRoutes(router, ctx)
  containerRoutes(router, ctx)
  networkRoutes(router, ctx)
  caRoutes(router, ctx)
  eventRoutes(router, ctx)
  const authorize = authorizer(ctx.store)
  const server = createApiServer(tls, router, authorize, {
    must: (method, path, req, caller) => mustForward(ctx, method, path, req, caller),
    pass: (req, res, caller) => forwardToLeader(ctx, req, res, caller),
  }, () => ctx.knownManagers?.() ?? '', async (peer) => (await ctx.store.get<Node>('node', peer.commonName))?.Spec.Role === 'manager')
  serveUpgrades(server, router, authorize) // hijacked requests: docker attach, exec -it, run without -d
  return server
}
