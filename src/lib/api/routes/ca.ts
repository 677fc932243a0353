// Certificates under /tsw: a host renews its client certificate (any node may, workers
// included), and an admin ends a root CA rotation before every node has renewed.
import type { TLSSocket } from 'node:tls'
import { finishRootRotation, renewClientCertificate } from '../../cluster/index.js'
import { ForbiddenError } from '../../errors/index.js'
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

export function caRoutes(router: Router, ctx: ApiContext): void {
  // Body: {"PublicKey": SPKI PEM}; answer: {"Cert", "CACert"}.
  router.add('POST', '/tsw/renew', async (req) => {
    const peer = (req.raw.socket as TLSSocket).getPeerX509Certificate?.()
    if (!peer) throw new ForbiddenError('a client certificate is required to renew it', 401)
    const body = req.body as { PublicKey?: unknown } | undefined
    return { body: await renewClientCertificate(ctx.store, ctx.ca, peer.toString(), body?.PublicKey) }
  })

  router.add('POST', '/tsw/ca/finish', async () => {
    const finished = await finishRootRotation(ctx.store)
    await ctx.certs?.refresh()
    return { body: { Finished: finished } }
  })
}
