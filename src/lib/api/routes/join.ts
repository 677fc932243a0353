// The join handshake (open: the joiner has no certificate yet) and a worker's
// own leave (authenticated with its node certificate).
import { addEngineNode, EngineIndex, joinNode, JoinLimiter, JoinTokenError, setupPromotedManager, type JoinDeps, type JoinRequest } from '../../cluster/index.js'
import { modify } from '../../store/index.js'
import { readStorePems } from '../../config/index.js'
import type { StoredEngine } from '../../engine/record.js'
import { ForbiddenError } from '../../errors/index.js'
import { leaveEngines, takeOverEngineAt } from '../../network/teardown.js'
import type { EngineRef, Node } from '../../types/index.js'
import { logOf, type ApiContext } from '../context.js'
import type { Router } from '../router.js'

const PROBE_TIMEOUT_MS = 10_000

export function joinRoutes(router: Router, ctx: ApiContext): void {
  // The CA, for the joiner to compare with the digest in its token before it sends anything.
  router.add('GET', '/tsw/join/ca', () => ({ text: ctx.ca.certPem, headers: { 'Content-Type': 'application/x-pem-file' } }), true)

  // What other swarms left on a joining engine goes first, said in the log and to the joiner.
  const takeOver = async (ref: EngineRef) => {
    const notes = await takeOverEngineAt(ref, ctx.config.ClusterID)
    for (const n of notes) logOf(ctx)(`join: ${n}`)
    return notes
  }
  // Refusing a duplicate costs two lookups, not a listing of every node.
  const index = new EngineIndex(ctx.store)
  const deps = (): JoinDeps => ({
    store: ctx.store, ca: ctx.ca, probe: (ref) => ctx.engines.probe(ref, PROBE_TIMEOUT_MS), takeOver, index,
    // A swarm on etcd runs a manager on every manager host; on SQLite there is one.
    managerSetup: () => ctx.config.Store && {
      Store: readStorePems(ctx.config.Store), HeartbeatMs: ctx.config.HeartbeatMs, LeaseSeconds: ctx.config.LeaseSeconds,
      // Over the join's TLS, which the joiner checked against its token's CA digest.
      ...(ctx.store.secrets ? { KeyEncryptionKey: ctx.store.secrets.kek } : {}),
    },
  })
  // Failed joins per source address: a few a minute, then 429 (token guessing).
  const limiter = new JoinLimiter()
  router.add('POST', '/tsw/join', async (req) => {
    const from = req.raw.socket.remoteAddress ?? 'unknown'
    limiter.check(from)
    try {
      return { body: await joinNode(deps(), req.body as JoinRequest) }
    } catch (err) {
      if (err instanceof JoinTokenError) limiter.fail(from)
      throw err
    }
  }, true)
  // A promoted node's host, to run its own manager (tsw manager on that host).
  router.add('POST', '/tsw/manager-setup', async (req) => ({
    body: await setupPromotedManager(deps(), req.caller?.commonName ?? '', req.body as { PublicKey?: string }),
  }))

  // Classic swarm's static discovery: an engine added by its address, no join on its host.
  router.add('POST', '/tsw/nodes', async (req) => {
    const body = req.body as { Engine: import('../../types/index.js').EngineRef; AdvertiseAddr?: string }
    const node = await addEngineNode({ store: ctx.store, probe: (ref) => ctx.engines.probe(ref, PROBE_TIMEOUT_MS), takeOver, index }, body?.Engine, body?.AdvertiseAddr)
    return { status: 201, body: { ID: node.ID } }
  })

  router.add('POST', '/tsw/leave', async (req) => {
    const id = req.caller?.commonName ?? ''
    const node = await ctx.store.get<Node>('node', id)
    if (!node) throw new ForbiddenError(`node ${id} is not part of this swarm`)
    const engine = await modify<StoredEngine>(ctx.store, 'engine', id, (e) => { e.Left = true })
    await modify<Node>(ctx.store, 'node', id, (n) => { n.Status = { State: 'down', Message: 'node left the swarm', Addr: n.Status.Addr } })
    ctx.engines.drop(id)
    // As dockerd removes a leaving node's tasks: this swarm's pieces go from its engine before the answer.
    if (engine) await leaveEngines([engine], ctx.config.ClusterID, logOf(ctx))
    return { status: 200 }
  })
}
