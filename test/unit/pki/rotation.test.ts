import { describe, it, expect } from 'vitest'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import tls from 'node:tls'
import { X509Certificate } from 'node:crypto'
import { createRootCA, generateKeyPair, issueKeyAndCertificate, type CertAndKey } from '../../../src/lib/pki/index.js'
import { checkSigningCA, crossSignCA, reissueCertificate } from '../../../src/lib/pki/rotation.js'
import { certValidity, signedBy } from '../../../src/lib/pki/validity.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'

interface Outcome {
  clientOk: boolean
  clientError?: string
  serverAuthorized?: boolean
}

// An mTLS server presenting `chain` and trusting `trusted`; a client trusting `clientCa` presenting `client`.
async function connect(server: { key: string; chain: string; trusted: string }, clientCa: string, client: CertAndKey): Promise<Outcome> {
  const srv = tls.createServer({ key: server.key, cert: server.chain, ca: server.trusted, requestCert: true, rejectUnauthorized: false })
  const seen = new Promise<boolean>((resolve) => srv.on('secureConnection', (s) => { resolve(s.authorized); s.end() }))
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  try {
    const { port } = srv.address() as AddressInfo
    const sock = tls.connect({ host: '127.0.0.1', port, ca: clientCa, cert: client.certPem, key: client.keyPem })
    sock.on('data', () => {})
    try {
      await once(sock, 'secureConnect')
    } catch (err) {
      return { clientOk: false, clientError: (err as Error).message }
    }
    const serverAuthorized = await seen
    sock.destroy()
    return { clientOk: true, serverAuthorized }
  } finally {
    srv.close()
  }
}

const leaf = (ca: CertAndKey, cn: string, usage: 'server' | 'client' | 'both' = 'client') =>
  issueKeyAndCertificate({ ca, commonName: cn, organizationalUnit: 'swarm-manager', organization: 'c', ips: ['127.0.0.1'], usage })

describe('crossSignCA', () => {
  it('makes the new root a CA issued by the old one, with the new key', async () => {
    const oldCa = await createRootCA()
    const newCa = await createRootCA()
    const cross = await crossSignCA(newCa.certPem, oldCa)
    const c = new X509Certificate(cross)
    expect(c.ca).toBe(true)
    expect(c.subject).toBe('CN=swarm-ca')
    expect(c.publicKey.export({ type: 'spki', format: 'pem' })).toBe(new X509Certificate(newCa.certPem).publicKey.export({ type: 'spki', format: 'pem' }))
    expect(signedBy(cross, oldCa.certPem)).toBe(true)
    expect(signedBy(cross, newCa.certPem)).toBe(false)
    expect(certValidity(cross).notAfter).toBeLessThanOrEqual(certValidity(oldCa.certPem).notAfter)
  })

  it('lets a client trusting only the old root verify a server certificate of the new root, and one trusting the new root too', async () => {
    const oldCa = await createRootCA()
    const newCa = await createRootCA()
    const cross = await crossSignCA(newCa.certPem, oldCa)
    const server = await leaf(newCa, 'manager', 'both')
    const during = { key: server.keyPem, chain: server.certPem + cross, trusted: newCa.certPem + oldCa.certPem }
    // An old host: old root, old certificate.
    expect(await connect(during, oldCa.certPem, await leaf(oldCa, 'old-host'))).toEqual({ clientOk: true, serverAuthorized: true })
    // A renewed host: new root, new certificate.
    expect(await connect(during, newCa.certPem, await leaf(newCa, 'new-host'))).toEqual({ clientOk: true, serverAuthorized: true })
  })

  it('without the cross-signed certificate an old host cannot verify the new server certificate; after the rotation old certificates are refused', async () => {
    const oldCa = await createRootCA()
    const newCa = await createRootCA()
    const server = await leaf(newCa, 'manager', 'both')
    const after = { key: server.keyPem, chain: server.certPem + newCa.certPem, trusted: newCa.certPem }
    const old = await connect(after, oldCa.certPem, await leaf(oldCa, 'old-host'))
    expect(old.clientOk).toBe(false)
    const oldCertNewRoot = await connect(after, newCa.certPem, await leaf(oldCa, 'old-host'))
    expect(oldCertNewRoot).toEqual({ clientOk: true, serverAuthorized: false })
  })
})

describe('reissueCertificate', () => {
  it('keeps subject, names and usage; takes the new key, CA, validity and role', async () => {
    const oldCa = await createRootCA()
    const newCa = await createRootCA()
    const before = await issueKeyAndCertificate({
      ca: oldCa, commonName: 'node-1', organizationalUnit: 'swarm-worker', organization: 'cluster', ips: ['10.0.0.1'], dnsNames: ['localhost'], usage: 'both',
    })
    const { publicKeyPem } = generateKeyPair()
    const pem = await reissueCertificate(before.certPem, newCa, publicKeyPem, { validityMs: 90_000, organizationalUnit: 'swarm-manager' })
    const c = new X509Certificate(pem)
    expect(c.subject).toBe('O=cluster\nOU=swarm-manager\nCN=node-1')
    expect(c.subjectAltName).toBe('DNS:localhost, IP Address:10.0.0.1')
    expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'])
    expect(c.publicKey.export({ type: 'spki', format: 'pem' })).toBe(publicKeyPem)
    expect(signedBy(pem, newCa.certPem)).toBe(true)
    const { notBefore, notAfter } = certValidity(pem)
    expect(notAfter - Date.now()).toBeGreaterThan(85_000)
    expect(notAfter - Date.now()).toBeLessThanOrEqual(90_000)
    expect(notAfter - notBefore).toBeLessThanOrEqual(99_000 + 1000)
  })
})

describe('checkSigningCA', () => {
  it('accepts a CA and its key, refuses a leaf, a mismatched key and garbage', async () => {
    const ca = await createRootCA()
    const other = await createRootCA()
    expect(checkSigningCA(ca.certPem, ca.keyPem).certPem).toBe(ca.certPem)
    const l = await leaf(ca, 'x')
    expect(() => checkSigningCA(l.certPem, l.keyPem)).toThrow('not a CA certificate')
    expect(() => checkSigningCA(ca.certPem, other.keyPem)).toThrow('does not match')
    expect(() => checkSigningCA('x', ca.keyPem)).toThrow(InvalidArgumentError)
    expect(() => checkSigningCA(ca.certPem, 'x')).toThrow('not a PEM private key')
  })
})
