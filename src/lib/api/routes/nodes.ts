// /nodes…: list, inspect, update, remove.
import {
  filterNodes, NODE_FILTERS, parseFilters, parseVersion, removeNode, resolveNode, updateNode, validateNodeSpec,
} from '../../cluster/index.js'
import type { Node } from '../../types/index.js'
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

export function nodeRoutes(router: Router, ctx: ApiContext): void {
  router.add('GET', '/nodes', async (req) => {
    const filters = parseFilters(req.query.get('filters'), NODE_FILTERS)
    return { body: filterNodes(await ctx.store.list<Node>('node'), filters) }
  })

  router.add('GET', '/nodes/:id', async (req) => ({ body: await resolveNode(ctx.store, req.params.id) }))

  router.add('POST', '/nodes/:id/update', async (req) => {
    const version = parseVersion(req.query.get('version'), 'node')
    const node = await resolveNode(ctx.store, req.params.id)
    const spec = validateNodeSpec(req.body)
    await updateNode(ctx.store, node.ID, version, spec, (n) => `${n.Status.Addr}:${ctx.config.AdvertisePort}`)
    return { status: 200 }
  })

  router.add('DELETE', '/nodes/:id', async (req) => {
    const node = await resolveNode(ctx.store, req.params.id)
    const force = req.query.get('force') === 'true' || req.query.get('force') === '1'
    await removeNode(ctx.store, node.ID, force)
    ctx.engines.drop(node.ID)
    return { status: 200 }
  })
}
