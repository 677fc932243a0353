// Renewal of a host's client certificate (POST /tsw/renew): the caller proved it holds
// a certificate of a trusted root (the current one, or the old one during a rotation)
// and gets a new one of the current root for a key it made, with the same subject (the
// role follows the node's current role), and the root to trust from now on.
import { X509Certificate } from 'node:crypto'
import { ForbiddenError, InvalidArgumentError } from '../errors/index.js'
import { reissueCertificate, type CertAndKey } from '../pki/index.js'
import { ADMIN_OU, roleOU } from '../pki/roles.js'
import type { Store } from '../store/index.js'
import type { Node } from '../types/index.js'
import { checkAdminCert, recordAdminCert, type AdminCertificate } from './admin-certs.js'
import { certExpiryMs, finishRotationIfDone, recordNodeCert } from './ca-rotation.js'
import { getSwarm } from './swarm.js'

/** What POST /tsw/renew answers. */
export interface RenewResponse {
  /** The new certificate, PEM. */
  Cert: string
  /** The root CA to trust from now on, PEM. */
  CACert: string
}

/**
 * Issues the renewal of `callerPem` for `publicKeyPem`. Records the node's new
 * certificate and ends a rotation once no node is left on the old root. Throws
 * InvalidArgumentError for a bad key, ForbiddenError for a node no longer in the swarm.
 */
export async function renewClientCertificate(store: Store, ca: CertAndKey, callerPem: string, publicKeyPem: unknown): Promise<RenewResponse> {
  if (typeof publicKeyPem !== 'string' || !publicKeyPem.includes('BEGIN PUBLIC KEY')) {
    throw new InvalidArgumentError('a renewal request needs PublicKey: the PEM (SPKI) of the key the new certificate is for')
  }
  const swarm = await getSwarm(store)
  const subject = new X509Certificate(callerPem).subject
  const ou = /^OU=(.*)$/m.exec(subject)?.[1] ?? ''
  const cn = /^CN=(.*)$/m.exec(subject)?.[1] ?? ''
  let node: Node | undefined
  let admin: AdminCertificate | undefined
  if (ou !== ADMIN_OU) {
    node = await store.get<Node>('node', cn)
    if (!node) throw new ForbiddenError(`node ${cn} is not part of this swarm`)
  } else {
    // A revoked (or unknown) admin certificate renews no more: else a leaked bundle would last for ever.
    admin = await checkAdminCert(store, new X509Certificate(callerPem).serialNumber, cn)
  }
  let cert: string
  try {
    cert = await reissueCertificate(callerPem, ca, publicKeyPem, {
      validityMs: certExpiryMs(swarm), organizationalUnit: node ? roleOU(node.Spec.Role) : undefined,
      // A worker (a demoted manager) may not serve as a manager any more.
      usage: node && node.Spec.Role !== 'manager' ? 'client' : undefined,
    })
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err
    throw new InvalidArgumentError(`PublicKey: ${(err as Error).message}`)
  }
  if (node) {
    await recordNodeCert(store, node.ID, ca.certPem, ca.certPem)
    await finishRotationIfDone(store)
  }
  if (admin) await recordAdminCert(store, cert, admin.IssuedBy, admin.ID)
  return { Cert: cert, CACert: ca.certPem }
}
