// The CLI's renewal against a small HTTPS manager: due by time, due because the root
// changed, and no extra request when neither.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { API_VERSION } from '../../../src/lib/api/versions.js'
import { RenewingClient } from '../../../src/lib/client/renew.js'
import { dataPaths } from '../../../src/lib/config/paths.js'
import { readBundle, writeBundle } from '../../../src/lib/config/tls-bundle.js'
import { FailedPreconditionError } from '../../../src/lib/errors/index.js'
import { createRootCA, crossSignCA, issueCertificate, issueKeyAndCertificate, type CertAndKey } from '../../../src/lib/pki/index.js'
import { renewalTime, signedBy } from '../../../src/lib/pki/validity.js'

interface Manager {
  server: Server
  port: number
  paths: string[]
}

// A manager whose certificate `signer` issued, presented with `chain`, trusting `trusted` for clients.
async function manager(signer: CertAndKey, chain: string, trusted: string): Promise<Manager> {
  const leaf = await issueKeyAndCertificate({ ca: signer, commonName: 'm', organizationalUnit: 'swarm-manager', organization: 'c', ips: ['127.0.0.1'], usage: 'server' })
  const m: Manager = { server: undefined as unknown as Server, port: 0, paths: [] }
  m.server = createServer({ key: leaf.keyPem, cert: leaf.certPem + chain, ca: trusted, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    m.paths.push(`${req.method} ${req.url}`)
    const socket = req.socket as TLSSocket
    if (!socket.authorized) { res.writeHead(401).end('{"message":"no"}'); return }
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      if (req.url?.endsWith('/tsw/renew')) {
        const { PublicKey } = JSON.parse(body) as { PublicKey: string }
        void issueCertificate({ ca: signer, publicKeyPem: PublicKey, commonName: 'admin', organizationalUnit: 'tsw-admin', organization: 'c', usage: 'client' })
          .then((Cert) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Cert, CACert: signer.certPem })))
        return
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
    })
  })
  m.server.listen(0, '127.0.0.1')
  await once(m.server, 'listening')
  m.port = (m.server.address() as AddressInfo).port
  return m
}

describe('RenewingClient', () => {
  let dir: string
  let ca: CertAndKey
  let m: Manager | undefined
  const paths = () => dataPaths(dir)
  const warnings: string[] = []

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsw-renew-'))
    ca = await createRootCA()
    const admin = await issueKeyAndCertificate({ ca, commonName: 'admin', organizationalUnit: 'tsw-admin', organization: 'c', usage: 'client', validityMs: 90_000 })
    writeBundle(paths(), { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem })
    warnings.length = 0
  })
  afterEach(() => {
    m?.server.close()
    m = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  const client = (port: number, now = Date.now) => new RenewingClient('127.0.0.1', port, readBundle(paths()), paths(), now, (w) => warnings.push(w))

  it('asks for nothing more while the certificate is young and the root unchanged', async () => {
    m = await manager(ca, ca.certPem, ca.certPem)
    const before = readBundle(paths())
    const c = client(m.port)
    expect(await c.get('/nodes')).toEqual({ ok: true })
    expect(await c.get('/services')).toEqual({ ok: true })
    expect(m.paths).toEqual([`GET /v${API_VERSION}/nodes`, `GET /v${API_VERSION}/services`])
    expect(readBundle(paths())).toEqual(before)
  })

  it('renews before its first request once less than a third of the lifetime is left', async () => {
    m = await manager(ca, ca.certPem, ca.certPem)
    const old = readBundle(paths())
    const c = client(m.port, () => renewalTime(old.cert) + 1000)
    expect(await c.get('/nodes')).toEqual({ ok: true })
    expect(m.paths).toEqual([`POST /v${API_VERSION}/tsw/renew`, `GET /v${API_VERSION}/nodes`])
    const now = readBundle(paths())
    expect(now.cert).not.toBe(old.cert)
    expect(now.key).not.toBe(old.key)
    expect(signedBy(now.cert, ca.certPem)).toBe(true)
    expect(warnings).toEqual([])
  })

  it('refuses to start with an expired certificate, saying the host has to join again', async () => {
    m = await manager(ca, ca.certPem, ca.certPem)
    const c = client(m.port, () => Date.now() + 200_000)
    await expect(c.get('/nodes')).rejects.toThrow(FailedPreconditionError)
    await expect(client(m.port, () => Date.now() + 200_000).get('/nodes')).rejects.toThrow('has to join the swarm again')
    expect(m.paths).toEqual([])
  })

  it('moves over to a rotated root after its first answer (reached through the cross-signed root)', async () => {
    const fresh = await createRootCA()
    m = await manager(fresh, await crossSignCA(fresh.certPem, ca), fresh.certPem + ca.certPem)
    const c = client(m.port)
    expect(await c.get('/nodes')).toEqual({ ok: true })
    expect(m.paths).toEqual([`GET /v${API_VERSION}/nodes`, `POST /v${API_VERSION}/tsw/renew`])
    const now = readBundle(paths())
    expect(now.ca).toBe(fresh.certPem)
    expect(signedBy(now.cert, fresh.certPem)).toBe(true)
    // The next requests use the new bundle, and renew no more.
    expect(await c.get('/services')).toEqual({ ok: true })
    expect(m.paths).toHaveLength(3)
    expect(readFileSync(paths().tlsKey, 'utf8')).toBe(now.key)
  })

  it('a failed renewal warns and leaves the command alone', async () => {
    m = await manager(ca, ca.certPem, (await createRootCA()).certPem) // trusts no client of ours: 401
    const old = readBundle(paths())
    const c = client(m.port, () => renewalTime(old.cert) + 1000)
    await expect(c.get('/nodes')).rejects.toThrow()
    expect(warnings[0]).toContain('could not renew the client certificate')
    expect(readBundle(paths())).toEqual(old)
  })
})
