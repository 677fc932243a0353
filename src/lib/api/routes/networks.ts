// /networks…: swarm-scoped overlay networks (list, inspect, create, remove).
import { createNetwork, removeNetwork, resolveNetwork } from '../../cluster/index.js'
import { parseFilters } from '../../filters/parse.js'
import { filterNetworks, NETWORK_FILTERS } from '../../network/filters.js'
import { serviceNetworkIds } from '../../network/service-networks.js'
import type { Network, Service } from '../../types/index.js'
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

/** A network as dockerd shows it (the store's bookkeeping and tsw's allocation state stay inside). */
function view(n: Network): Record<string, unknown> {
  const { Tsw: _a, ID: _b, Version: _c, CreatedAt: _d, UpdatedAt: _e, ...rest } = n
  void [_a, _b, _c, _d, _e]
  const { Name, Id, Created, Scope, Driver, ...more } = rest
  return { Name, Id, Created, Scope, Driver, EnableIPv4: true, ...more }
}

export function networkRoutes(router: Router, ctx: ApiContext): void {
  const { store } = ctx
  router.add('GET', '/networks', async (req) => {
    const filters = parseFilters(req.query.get('filters'), NETWORK_FILTERS)
    const [networks, services] = await Promise.all([store.list<Network>('network'), store.list<Service>('service')])
    const ingress = networks.find((n) => n.Ingress)?.ID
    const inUse = new Set(services.flatMap((s) => serviceNetworkIds(s, ingress)))
    return { body: filterNetworks(networks, filters, { inUse: (n) => inUse.has(n.ID) }).map(view) }
  })
  router.add('GET', '/networks/:id', async (req) => ({ body: view(await resolveNetwork(store, req.params.id)) }))
  router.add('POST', '/networks/create', async (req) => {
    const network = await createNetwork(store, req.body as never)
    return { status: 201, body: { Id: network.ID, Warning: '' } }
  })
  router.add('DELETE', '/networks/:id', async (req) => {
    await removeNetwork(store, req.params.id)
    return { status: 204 }
  })
}
