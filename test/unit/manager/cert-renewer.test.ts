// The manager's own certificates: renewed when due or when the root changes, and the
// TLS context it serves during and after a rotation. Real store, files in a temp dir.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { SecureContextOptions } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiContext } from '../../../src/lib/api/index.js'
import { adminCertUsable, loadRootCA, newNode, newSwarm, recordAdminCert, revokeAdminCerts, saveCA, startRootRotation } from '../../../src/lib/cluster/index.js'
import { dataPaths } from '../../../src/lib/config/paths.js'
import { writeBundle } from '../../../src/lib/config/tls-bundle.js'
import { writeFile } from '../../../src/lib/config/files.js'
import { CertRenewer } from '../../../src/lib/manager/cert-renewer.js'
import { createRootCA, issueKeyAndCertificate, type CertAndKey } from '../../../src/lib/pki/index.js'
import { renewalTime, signedBy } from '../../../src/lib/pki/validity.js'
import { SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { Node, Swarm } from '../../../src/lib/types/index.js'

const INFO = { ID: 'e', Hostname: 'node01', Architecture: 'x86_64', OS: 'linux', NCPU: 1, MemTotal: 1e9, ServerVersion: '28', Labels: {} } as never

describe('CertRenewer', () => {
  let dir: string
  let store: Store
  let ca: CertAndKey
  let contexts: SecureContextOptions[]
  let ctx: ApiContext
  let renewer: CertRenewer | undefined
  const logs: string[] = []
  const paths = () => dataPaths(dir)
  const file = (p: string) => readFileSync(p, 'utf8')

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsw-renewer-'))
    store = new SqliteStore(':memory:')
    ca = await createRootCA()
    await saveCA(store, ca)
    await store.create('swarm', newSwarm('c1', ca.certPem, 5000))
    await store.create('node', newNode('m1', INFO, 'manager', '10.0.0.1'))
    const server = await issueKeyAndCertificate({ ca, commonName: 'm1', organizationalUnit: 'swarm-manager', organization: 'c1', ips: ['10.0.0.1'], usage: 'both', validityMs: 90_000 })
    writeFile(paths().serverCert, server.certPem)
    writeFile(paths().serverKey, server.keyPem, true)
    const admin = await issueKeyAndCertificate({ ca, commonName: 'admin-m1', organizationalUnit: 'tsw-admin', organization: 'c1', usage: 'client', validityMs: 90_000 })
    writeBundle(paths(), { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem })
    await recordAdminCert(store, admin.certPem, 'm1')
    contexts = []
    logs.length = 0
    ctx = { store, ca } as unknown as ApiContext
  })
  afterEach(async () => {
    renewer?.stop()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const start = async (now = Date.now) => {
    renewer = new CertRenewer({ store, ctx, server: { setSecureContext: (o) => contexts.push(o) }, dataDir: dir, config: { NodeID: 'm1' }, log: (m) => logs.push(m), now })
    await renewer.start()
  }

  it('at start: serves what it has, and records its certificate on its node', async () => {
    const cert = file(paths().serverCert)
    await start()
    expect(file(paths().serverCert)).toBe(cert)
    expect(contexts).toHaveLength(1)
    expect(contexts[0].cert).toBe(cert + ca.certPem)
    expect(contexts[0].ca).toBe(ca.certPem)
    expect(ctx.certs).toBe(renewer)
    expect((await store.get<Node>('node', 'm1'))?.Description.TLSInfo?.TrustRoot).toBe(ca.certPem)
  })

  it('replaces its host\'s admin bundle (new key, recorded) once its certificate is revoked: copies of the old one stay refused', async () => {
    await start()
    const old = { cert: file(paths().tlsCert), key: file(paths().tlsKey) }
    const serial = new X509Certificate(old.cert).serialNumber
    expect(await adminCertUsable(store, serial)).toBe(true)
    await revokeAdminCerts(store, serial, 'leaked')
    const deadline = Date.now() + 5000
    while (file(paths().tlsCert) === old.cert && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const now = file(paths().tlsCert)
    expect(now).not.toBe(old.cert)
    expect(file(paths().tlsKey)).not.toBe(old.key)
    expect(new X509Certificate(now).subject).toBe(new X509Certificate(old.cert).subject)
    expect(await adminCertUsable(store, new X509Certificate(now).serialNumber)).toBe(true)
    expect(await adminCertUsable(store, serial)).toBe(false)
    expect(logs.join('\n')).toMatch(/renewed \(its certificate was revoked or unknown\)/)
  })

  it('renews its server certificate and its host\'s bundle once due, with the swarm\'s expiry', async () => {
    const cert = file(paths().serverCert)
    const admin = file(paths().tlsCert)
    await start(() => renewalTime(cert) + 1000)
    expect(file(paths().serverCert)).not.toBe(cert)
    expect(file(paths().tlsCert)).not.toBe(admin)
    expect(signedBy(file(paths().serverCert), ca.certPem)).toBe(true)
    expect(contexts.at(-1)?.key).toBe(file(paths().serverKey))
    expect(logs.join('\n')).toMatch(/server certificate renewed \(expiring\)/)
    const days = (Date.parse(new X509Certificate(file(paths().serverCert)).validTo) - Date.now()) / 86_400_000
    expect(Math.round(days)).toBe(90)
  })

  it('during a rotation: new certificates, the cross-signed chain, both roots trusted; after it, the new root alone', async () => {
    await store.create('node', { ...newNode('w1', INFO, 'worker', '10.0.0.2'), Description: { ...newNode('w1', INFO, 'worker', '10.0.0.2').Description, TLSInfo: { TrustRoot: ca.certPem, CertIssuerSubject: 'x', CertIssuerPublicKey: 'y' } } })
    await start()
    const swarm = (await store.list<Swarm>('swarm'))[0]
    await startRootRotation(store, swarm, swarm.Spec)
    await renewer!.refresh()
    const root = await loadRootCA(store)
    expect(ctx.ca.certPem).toBe(root.current.certPem)
    expect(signedBy(file(paths().serverCert), root.current.certPem)).toBe(true)
    expect(contexts.at(-1)?.cert).toBe(file(paths().serverCert) + root.previous!.crossSignedPem)
    expect(contexts.at(-1)?.ca).toBe(root.current.certPem + ca.certPem)
    expect(file(paths().tlsCa)).toBe(root.current.certPem)
    expect(signedBy(file(paths().tlsCert), root.current.certPem)).toBe(true)
    expect(root.previous).toBeDefined() // w1 has not renewed

    await store.delete('node', 'w1')
    await renewer!.refresh()
    expect((await loadRootCA(store)).previous).toBeUndefined()
    await renewer!.refresh()
    expect(contexts.at(-1)?.cert).toBe(file(paths().serverCert) + root.current.certPem)
    expect(contexts.at(-1)?.ca).toBe(root.current.certPem)
  })
})
