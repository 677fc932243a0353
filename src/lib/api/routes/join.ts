// The join handshake (open: the joiner has no certificate yet) and a worker's
// own leave (authenticated with its node certificate).
import { addEngineNode, joinNode, setupPromotedManager, type JoinDeps, type JoinRequest } from '../../cluster/index.js'
import { modify } from '../../store/index.js'
import { readStorePems } from '../../config/index.js'
import type { StoredEngine } from '../../engine/record.js'
import { ForbiddenError } from '../../errors/index.js'
import type { Node } from '../../types/index.js'
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

const PROBE_TIMEOUT_MS = 10_000

export function joinRoutes(router: Router, ctx: ApiContext): void {
  // The CA, for the joiner to compare with the digest in its token before it sends anything.
  router.add('GET', '/tsw/join/ca', () => ({ text: ctx.ca.certPem, headers: { 'Content-Type': 'application/x-pem-file' } }), true)

  const deps = (): JoinDeps => ({
    store: ctx.store, ca: ctx.ca, probe: (ref) => ctx.engines.probe(ref, PROBE_TIMEOUT_MS),
    // A swarm on etcd runs a manager on every manager host; on SQLite there is one.
    managerSetup: () => ctx.config.Store && {
      Store: readStorePems(ctx.config.Store), HeartbeatMs: ctx.config.HeartbeatMs, LeaseSeconds: ctx.config.LeaseSeconds,
    },
  })
  router.add('POST', '/tsw/join', async (req) => ({ body: await joinNode(deps(), req.body as JoinRequest) }), true)
  // A promoted node's host, to run its own manager (tsw manager on that host).
  router.add('POST', '/tsw/manager-setup', async (req) => ({
    body: await setupPromotedManager(deps(), req.caller?.commonName ?? '', req.body as { PublicKey?: string }),
  }))

  // Classic swarm's static discovery: an engine added by its address, no join on its host.
  router.add('POST', '/tsw/nodes', async (req) => {
    const body = req.body as { Engine: import('../../types/index.js').EngineRef; AdvertiseAddr?: string }
    const node = await addEngineNode({ store: ctx.store, probe: (ref) => ctx.engines.probe(ref, PROBE_TIMEOUT_MS) }, body?.Engine, body?.AdvertiseAddr)
    return { status: 201, body: { ID: node.ID } }
  })

  router.add('POST', '/tsw/leave', async (req) => {
    const id = req.caller?.commonName ?? ''
    const node = await ctx.store.get<Node>('node', id)
    if (!node) throw new ForbiddenError(`node ${id} is not part of this swarm`)
    await modify<StoredEngine>(ctx.store, 'engine', id, (e) => { e.Left = true })
    await modify<Node>(ctx.store, 'node', id, (n) => { n.Status = { State: 'down', Message: 'node left the swarm', Addr: n.Status.Addr } })
    ctx.engines.drop(id)
    return { status: 200 }
  })
}
