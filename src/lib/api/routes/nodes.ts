// /nodes…: list, inspect, update, remove.
import {
  filterNodes, getSwarm, NODE_FILTERS, parseVersion, removeNode, resolveNode, updateNode, validateNodeSpec,
  withManagerStatus,
} from '../../cluster/index.js'
import type { StoredEngine } from '../../engine/record.js'
import { leaveEngines } from '../../network/teardown.js'
import type { Node } from '../../types/index.js'
import { StoreCache } from '../../store/index.js'
import { parseFilters } from '../../filters/parse.js'
import { logOf, type ApiContext } from '../context.js'
import type { Router } from '../router.js'

export function nodeRoutes(router: Router, ctx: ApiContext): void {
  // Nodes carry the TLS info of the certificate they hold (those without one, the
  // swarm's), and the manager status of now.
  const withTLS = async (nodes: Node[]) => {
    const [{ TLSInfo }, running] = await Promise.all([getSwarm(ctx.store), ctx.membership.managers()])
    return withManagerStatus(nodes, running).map((n) => ({ ...n, Description: { ...n.Description, TLSInfo: n.Description.TLSInfo ?? TLSInfo } }))
  }

  router.add('GET', '/nodes', async (req) => {
    const filters = parseFilters(req.query.get('filters'), NODE_FILTERS)
    const cache = await (ctx.cache ?? new StoreCache({ store: ctx.store, kinds: [] })).fresh()
    return { body: await withTLS(filterNodes(await cache.list<Node>('node'), filters)) }
  })

  router.add('GET', '/nodes/:id', async (req) => ({ body: (await withTLS([await resolveNode(ctx.store, req.params.id)]))[0] }))

  router.add('POST', '/nodes/:id/update', async (req) => {
    const version = parseVersion(req.query.get('version'), 'node')
    const node = await resolveNode(ctx.store, req.params.id)
    const spec = validateNodeSpec(req.body)
    // With several managers (etcd) a demoted leader hands over to another that runs.
    const running = await ctx.membership.managers()
    const handOver = ctx.config.Store !== undefined && running.some((m) => m.NodeID !== node.ID)
    const [current] = withManagerStatus([node], running)
    await updateNode(ctx.store, node.ID, version, spec, (n) => `${n.Status.Addr}:${ctx.config.AdvertisePort}`, handOver, current.ManagerStatus?.Leader === true)
    return { status: 200 }
  })

  router.add('DELETE', '/nodes/:id', async (req) => {
    const node = await resolveNode(ctx.store, req.params.id)
    const force = req.query.get('force') === 'true' || req.query.get('force') === '1'
    const engine = await ctx.store.get<StoredEngine>('engine', node.ID)
    await removeNode(ctx.store, node.ID, force)
    ctx.engines.drop(node.ID)
    // An engine that still answers is left as it was before the swarm; one that does not, for the next swarm.
    if (engine) await leaveEngines([engine], ctx.config.ClusterID, logOf(ctx))
    return { status: 200 }
  })
}
