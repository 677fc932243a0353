// Certificates under /tsw: a host renews its client certificate (any node may, workers
// included), an admin revokes admin certificates, and ends a root CA rotation before
// every node has renewed.
import type { TLSSocket } from 'node:tls'
import { finishRootRotation, renewClientCertificate, revokeAdminCerts } from '../../cluster/index.js'
import { ForbiddenError, InvalidArgumentError } from '../../errors/index.js'
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

  // Body: {"Certificate": serial or common name}; answer: {"Revoked": [{Serial, CommonName}]}.
  router.add('POST', '/tsw/ca/revoke', async (req) => {
    const ref = (req.body as { Certificate?: unknown } | undefined)?.Certificate
    if (typeof ref !== 'string' || ref.trim() === '') {
      throw new InvalidArgumentError('a revocation needs Certificate: the serial or the common name of an admin certificate')
    }
    const by = req.caller ? `revoked by ${req.caller.commonName}` : 'revoked'
    const revoked = await revokeAdminCerts(ctx.store, ref.trim(), by)
    return { body: { Revoked: revoked.map((c) => ({ Serial: c.ID, CommonName: c.CommonName })) } }
  })

  router.add('POST', '/tsw/ca/finish', async () => {
    const finished = await finishRootRotation(ctx.store)
    await ctx.certs?.refresh()
    return { body: { Finished: finished } }
  })
}
