// A manager keeps its own certificates current: its server certificate
// (manager/server-*.pem) and the client bundle of its data dir (tls/), both renewed
// when less than a third of their lifetime is left or when another root signs now
// (a rotation). It checks at start, whenever the root CA changes in the store, and
// at the next renewal time (at least hourly). It serves what the rotation needs: the
// new certificate with the new root cross-signed by the old one, and both roots
// trusted for client certificates; and it ends a rotation once no node is left on
// the old root.
import { existsSync } from 'node:fs'
import type { Server } from 'node:https'
import type { ApiContext } from '../api/index.js'
import { ADMIN_OU, roleOU } from '../pki/roles.js'
import {
  adminCertUsable, certExpiryMs, finishRotationIfDone, getSwarm, recordAdminCert, loadRootCA, recordNodeCert, type RootCAState,
} from '../cluster/index.js'
import { dataPaths, type ManagerConfig } from '../config/index.js'
import { readPair, replacePair } from '../config/files.js'
import { readBundle, withBundleLock, writeBundle } from '../config/tls-bundle.js'
import { certificateInfo, generateKeyPair, reissueCertificate, renewalReason, renewalTime, type CertAndKey } from '../pki/index.js'
import type { Store } from '../store/index.js'
import type { Node } from '../types/index.js'

export interface CertRenewerOptions {
  store: Store
  /** Its `ca` is replaced with the current root; its `certs` is set to the renewer. */
  ctx: ApiContext
  server: Pick<Server, 'setSecureContext'>
  dataDir: string
  config: Pick<ManagerConfig, 'NodeID'>
  log: (msg: string) => void
  now?: () => number
}

const MAX_CHECK_INTERVAL_MS = 3_600_000
const MIN_CHECK_INTERVAL_MS = 1_000

/** Renews the manager's certificates and keeps its TLS context in line with the root CA. */
export class CertRenewer {
  private timer?: NodeJS.Timeout
  private pending?: NodeJS.Timeout
  private unwatch?: () => void
  private queue: Promise<void> = Promise.resolve()
  private applied = ''
  private rotating = false
  private stopped = false
  private readonly paths
  private readonly now: () => number

  constructor(private readonly opts: CertRenewerOptions) {
    this.paths = dataPaths(opts.dataDir)
    this.now = opts.now ?? Date.now
    opts.ctx.certs = this
  }

  /** Checks everything once, then follows the store and the clock. */
  async start(): Promise<void> {
    await this.refresh()
    this.unwatch = this.opts.store.watch((e) => {
      // A new root, or (during a rotation) a node renewed, left or removed.
      // A revoked admin certificate: this host's bundle may be the one.
      if (e.kind === 'ca' || e.kind === 'certificate' || (this.rotating && (e.kind === 'node' || e.kind === 'engine'))) this.soon()
    })
  }

  stop(): void {
    this.stopped = true
    this.unwatch?.()
    clearTimeout(this.timer)
    clearTimeout(this.pending)
  }

  /** Brings the certificates and the TLS context in line with the store; resolves when done (never rejects). */
  refresh(): Promise<void> {
    this.queue = this.queue.then(() => this.reconcile()).catch((err: Error) => this.opts.log(`certificates: ${err.message}`))
    return this.queue
  }

  private soon(): void {
    clearTimeout(this.pending)
    this.pending = setTimeout(() => void this.refresh(), 100)
    this.pending.unref()
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return
    const { store, ctx } = this.opts
    const root = await loadRootCA(store)
    ctx.ca = root.current
    this.rotating = root.previous !== undefined
    const validityMs = certExpiryMs(await getSwarm(store))
    const serverCert = await this.renewServerCert(root.current, validityMs)
    this.applyContext(serverCert, root)
    const bundleCert = await this.renewBundle(root.current, validityMs)
    if (root.previous && await finishRotationIfDone(store)) this.opts.log('root CA rotation completed: certificates of the old root are no longer accepted')
    this.schedule([serverCert, bundleCert])
  }

  // The server certificate, renewed if due; its node records what it holds.
  private async renewServerCert(ca: CertAndKey, validityMs: number): Promise<string> {
    let cert = readPair(this.paths.serverKey, this.paths.serverCert).cert
    const reason = renewalReason(cert, this.now(), ca.certPem)
    if (reason) {
      const keys = generateKeyPair()
      cert = await reissueCertificate(cert, ca, keys.publicKeyPem, { validityMs })
      replacePair(this.paths.serverKey, this.paths.serverCert, keys.privateKeyPem, cert)
      this.opts.log(`server certificate renewed (${reason === 'root' ? 'new root CA' : 'expiring'}), valid until ${new Date(renewalEnd(cert)).toISOString()}`)
    }
    await recordNodeCert(this.opts.store, this.opts.config.NodeID, ca.certPem, ca.certPem)
    return cert
  }

  // The TLS context: during a rotation, the chain through the cross-signed root and both roots trusted.
  private applyContext(cert: string, root: RootCAState): void {
    const key = readPair(this.paths.serverKey, this.paths.serverCert).key
    const chain = cert + (root.previous ? root.previous.crossSignedPem : root.current.certPem)
    const trusted = root.current.certPem + (root.previous?.certPem ?? '')
    const id = key + chain + trusted
    if (id === this.applied) return
    this.opts.server.setSecureContext({ key, cert: chain, ca: trusted })
    this.applied = id
  }

  // This data dir's client bundle (the admin bundle of swarm init), renewed if due. An
  // admin certificate that was revoked (a copy leaked) or never recorded is replaced by
  // a new one with a new key: the host keeps its access, the copies lose theirs.
  private async renewBundle(ca: CertAndKey, validityMs: number): Promise<string | undefined> {
    if (!existsSync(this.paths.tlsCert)) return undefined
    const { store } = this.opts
    const due = async (b: { ca: string; cert: string }) => {
      const reason = renewalReason(b.cert, this.now(), ca.certPem) ?? (b.ca !== ca.certPem ? 'root' : undefined)
      if (reason) return reason
      const info = certificateInfo(b.cert)
      return info.organizationalUnit === ADMIN_OU && !await adminCertUsable(store, info.serialNumber) ? 'revoked' : undefined
    }
    const first = readBundle(this.paths)
    if (!await due(first)) return first.cert
    return withBundleLock(this.paths.tls, async () => {
      const bundle = readBundle(this.paths)
      const reason = await due(bundle)
      if (!reason) return bundle.cert
      const info = certificateInfo(bundle.cert)
      const admin = info.organizationalUnit === ADMIN_OU
      const node = admin ? undefined : await store.get<Node>('node', info.commonName)
      const keys = generateKeyPair()
      const cert = await reissueCertificate(bundle.cert, ca, keys.publicKeyPem, {
        validityMs, organizationalUnit: node ? roleOU(node.Spec.Role) : undefined, usage: node && node.Spec.Role !== 'manager' ? 'client' : undefined,
      })
      // Recorded before the bundle changes: a bundle on disk is always one the managers accept.
      if (admin) await recordAdminCert(store, cert, this.opts.config.NodeID, reason === 'revoked' ? undefined : info.serialNumber)
      writeBundle(this.paths, { ca: ca.certPem, cert, key: keys.privateKeyPem })
      if (node) await recordNodeCert(store, node.ID, ca.certPem, ca.certPem)
      const why = { root: 'new root CA', expiring: 'expiring', revoked: 'its certificate was revoked or unknown' }[reason]
      this.opts.log(`client certificate in ${this.paths.tls} renewed (${why})`)
      return cert
    })
  }

  // Next check: when the first certificate falls due, at least hourly.
  private schedule(certs: Array<string | undefined>): void {
    if (this.stopped) return
    const due = certs.filter((c): c is string => c !== undefined).map((c) => renewalTime(c) - this.now())
    const wait = Math.max(MIN_CHECK_INTERVAL_MS, Math.min(MAX_CHECK_INTERVAL_MS, ...due))
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.refresh(), wait)
    this.timer.unref()
  }
}

function renewalEnd(pem: string): number {
  return certificateInfo(pem).notAfter.getTime()
}
