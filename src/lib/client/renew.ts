// The CLI renews its client certificate as it talks to the manager, at no cost unless
// it is due: before the first request it reads notAfter from the bundle it loaded
// (renewal is due when less than a third of the lifetime is left), and on the first
// answer it checks that the manager's certificate was issued by the root it trusts;
// one that was not means the swarm's root CA was rotated (the connection verified
// through the new root cross-signed by the old one). Either way it asks for a new
// certificate (POST /tsw/renew, for a key it makes) and rewrites the bundle.
// Node's built-in crypto only: nothing heavy is loaded on the way.
import { X509Certificate } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { DataPaths } from '../config/paths.js'
import { readBundle, withBundleLock, writeBundle, type TlsBundle } from '../config/tls-bundle.js'
import { FailedPreconditionError } from '../errors/index.js'
import { generateKeyPair } from '../pki/keys.js'
import { certValidity, renewalReason } from '../pki/validity.js'
import { ConnectError, ManagerClient, type Fallback, type RequestOptions } from './client.js'

interface RenewAnswer {
  Cert: string
  CACert: string
}

/** A ManagerClient that keeps its data dir's client certificate renewed. */
export class RenewingClient extends ManagerClient {
  private timeChecked = false
  private rootChecked = false
  private rootMoved = false

  constructor(
    host: string, port: number,
    private readonly bundle: TlsBundle,
    private readonly paths: DataPaths,
    private readonly now: () => number = Date.now,
    private readonly warn: (msg: string) => void = (msg) => process.stderr.write(`${msg}\n`),
    fallback?: Fallback,
  ) {
    super(host, port, bundle, fallback)
  }

  /** A request as ManagerClient's, with renewal before it (certificate expiring) or after it (root rotated). */
  override async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    if (!this.timeChecked) {
      this.timeChecked = true
      await this.renewIfExpiring()
    }
    try {
      return await super.request<T>(method, path, opts)
    } catch (err) {
      if (err instanceof ConnectError && /certificate|self.signed/i.test(err.message)) {
        throw new ConnectError(`${err.message}: if the swarm's root CA was rotated since this host last talked to the manager, this host has to join the swarm again`)
      }
      throw err
    } finally {
      if (this.rootMoved) await this.renew()
    }
  }

  /** Renews the certificate now (as `tsw swarm ca --rotate` does for its own host); warns instead of throwing. */
  async renew(): Promise<void> {
    this.rootMoved = false
    try {
      await withBundleLock(this.paths.tls, async () => {
        const disk = readBundle(this.paths)
        if (disk.cert !== this.bundle.cert) {
          // Another command, or the manager on its own host, renewed it meanwhile.
          Object.assign(this.bundle, disk)
          return
        }
        const keys = generateKeyPair()
        const answer = await super.request<RenewAnswer>('POST', '/tsw/renew', { body: { PublicKey: keys.publicKeyPem } })
        const next: TlsBundle = { ca: answer.CACert, cert: answer.Cert, key: keys.privateKeyPem }
        writeBundle(this.paths, next)
        Object.assign(this.bundle, next)
      })
    } catch (err) {
      this.warn(`warning: could not renew the client certificate in ${this.paths.tls}: ${(err as Error).message}`)
    }
    this.rootMoved = false
  }

  protected override observe(res: IncomingMessage): void {
    if (this.rootChecked) return
    this.rootChecked = true
    this.rootMoved = !issuedByRoot(res.socket as TLSSocket, this.bundle.ca)
  }

  private async renewIfExpiring(): Promise<void> {
    let reason
    let notAfter
    try {
      reason = renewalReason(this.bundle.cert, this.now())
      notAfter = certValidity(this.bundle.cert).notAfter
    } catch {
      return // unparsable: the manager will say what is wrong with it
    }
    if (!reason) return
    if (notAfter <= this.now()) {
      throw new FailedPreconditionError(`the client certificate in ${this.paths.tls} expired at ${new Date(notAfter).toISOString()}: this host has to join the swarm again ("tsw swarm leave --force", then "tsw swarm join")`)
    }
    await this.renew()
  }
}

/** Whether the manager's own certificate on this connection was signed by `rootPem` (true when it cannot tell). */
export function issuedByRoot(socket: TLSSocket | undefined, rootPem: string): boolean {
  try {
    const leaf = socket?.getPeerX509Certificate?.()
    if (!leaf) return true
    return leaf.verify(new X509Certificate(rootPem).publicKey)
  } catch {
    return true
  }
}
