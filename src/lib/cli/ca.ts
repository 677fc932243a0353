// `swarm ca` as docker's: the root to print, the spec change that asks for a rotation,
// and the wait for it to converge (every node on a certificate of the new root and
// trusting it, then the rotation over), polled as docker's RootRotationProgress does.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { ManagerClient } from '../client/client.js'
import { InvalidArgumentError } from '../errors/index.js'
import type { Node, Swarm } from '../types/index.js'

/** How far a rotation is. */
export interface RotationProgress {
  total: number
  /** Nodes whose certificate the current root issued. */
  certs: number
  /** Nodes that trust the current root (counted once every certificate is right, as docker does). */
  roots: number
  done: boolean
  /** Nodes still holding a certificate of the old root. */
  waiting: Node[]
}

/** docker's digest of a root: sha256 of the PEM. */
export function rootDigest(pem: string): string {
  return `sha256:${createHash('sha256').update(pem).digest('hex')}`
}

/** The root CA PEM `swarm ca` prints; throws when the swarm has none. */
export function trustRoot(swarm: Swarm): string {
  const pem = swarm.TLSInfo?.TrustRoot?.trim()
  if (!pem) throw new InvalidArgumentError('No CA information available')
  return `${pem}\n`
}

/** The spec asking the manager to rotate its root CA (to a new one, or to the given cert and key). */
export function rotationSpec(swarm: Swarm, opts: { caCertFile?: string; caKeyFile?: string; certExpiryMs?: number }): Swarm['Spec'] {
  if (opts.caCertFile && !opts.caKeyFile) throw new InvalidArgumentError('the --ca-cert flag requires that a --ca-key flag be provided as well')
  if (opts.caKeyFile && !opts.caCertFile) throw new InvalidArgumentError('the --ca-key flag requires that a --ca-cert flag be provided as well')
  const spec = structuredClone(swarm.Spec)
  const ca = { ...spec.CAConfig }
  if (opts.certExpiryMs) ca.NodeCertExpiry = opts.certExpiryMs * 1_000_000
  if (opts.caCertFile && opts.caKeyFile) {
    ca.SigningCACert = readPem(opts.caCertFile)
    ca.SigningCAKey = readPem(opts.caKeyFile)
  } else {
    ca.ForceRotate = (ca.ForceRotate ?? 0) + 1
  }
  spec.CAConfig = ca
  return spec
}

/** How far the rotation is, from the swarm and its nodes (docker's updateProgress). */
export function rotationProgress(swarm: Swarm, nodes: Node[]): RotationProgress {
  const want = swarm.TLSInfo
  const certOk = (n: Node) => n.Description.TLSInfo?.CertIssuerPublicKey === want.CertIssuerPublicKey && n.Description.TLSInfo?.CertIssuerSubject === want.CertIssuerSubject
  const certs = nodes.filter(certOk).length
  const trusting = nodes.filter((n) => n.Description.TLSInfo?.TrustRoot === want.TrustRoot).length
  const total = nodes.length
  const converged = certs === total && !swarm.RootRotationInProgress
  return { total, certs, roots: converged ? trusting : 0, done: converged && trusting === total, waiting: nodes.filter((n) => !certOk(n)) }
}

/** Polls until the rotation converges, printing progress as it changes (nothing with `quiet`). */
export async function waitForRotation(client: Pick<ManagerClient, 'get' | 'swarm'>, opts: { quiet?: boolean; write: (s: string) => void; bin: string; intervalMs?: number }): Promise<Swarm> {
  let last = ''
  let hinted = false
  for (;;) {
    const swarm = await client.swarm()
    const p = rotationProgress(swarm, await client.get<Node[]>('/nodes'))
    const line = `desired root digest: ${rootDigest(swarm.TLSInfo.TrustRoot)}\n  rotated TLS certificates: ${p.certs}/${p.total} nodes\n  rotated CA certificates:  ${p.roots}/${p.total} nodes\n`
    if (!opts.quiet && line !== last) opts.write(line)
    last = line
    if (p.done) return swarm
    if (!opts.quiet && !hinted && p.waiting.length > 0) {
      hinted = true
      const names = p.waiting.map((n) => `${n.Description.Hostname} (${n.ID}${n.Status.State === 'down' ? ', down' : ''})`).join(', ')
      opts.write(`Waiting for ${names}: a host moves over to the new root on its next ${opts.bin} command there. Ctrl-C leaves the rotation running; "${opts.bin} swarm ca --finish-rotation" ends it, and hosts not moved over then have to join again.\n`)
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500))
  }
}

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new InvalidArgumentError(`cannot read ${file}: ${(err as Error).message}`)
  }
}
