import { describe, it, expect } from 'vitest'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import tls from 'node:tls'
import { createRootCA, issueKeyAndCertificate, type CertAndKey } from '../../../src/lib/pki/index.js'

interface Seen {
  authorized: boolean
  cn?: string | string[]
  ou?: string | string[]
}

// Starts an mTLS server on 127.0.0.1, connects with the client cert, and returns what the server saw.
async function handshake(ca: CertAndKey, server: CertAndKey, client: CertAndKey): Promise<Seen> {
  const srv = tls.createServer({ ca: ca.certPem, cert: server.certPem, key: server.keyPem, requestCert: true, rejectUnauthorized: false })
  const seen = new Promise<Seen>((resolve) => {
    srv.on('secureConnection', (socket) => {
      const peer = socket.getPeerCertificate()
      resolve({ authorized: socket.authorized, cn: peer.subject?.CN, ou: peer.subject?.OU })
      socket.end()
    })
  })
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  try {
    const { port } = srv.address() as AddressInfo
    const sock = tls.connect({ host: '127.0.0.1', port, ca: ca.certPem, cert: client.certPem, key: client.keyPem })
    sock.on('data', () => {})
    await once(sock, 'secureConnect') // the client verifies the server cert (IP SAN, CA) here
    const result = await seen
    sock.destroy()
    return result
  } finally {
    srv.close()
  }
}

describe('mTLS with issued certificates', () => {
  it('authorizes a client cert from the same CA and shows its CN/OU', async () => {
    const ca = await createRootCA()
    const server = await issueKeyAndCertificate({
      ca, commonName: 'manager-1', organizationalUnit: 'swarm-manager', organization: 'cluster-x',
      ips: ['127.0.0.1'], dnsNames: ['localhost'], usage: 'server',
    })
    const client = await issueKeyAndCertificate({
      ca, commonName: 'node-abc', organizationalUnit: 'swarm-worker', organization: 'cluster-x', usage: 'client',
    })
    expect(await handshake(ca, server, client)).toEqual({ authorized: true, cn: 'node-abc', ou: 'swarm-worker' })
  })

  it('does not authorize a client cert from another CA', async () => {
    const ca = await createRootCA()
    const other = await createRootCA()
    const server = await issueKeyAndCertificate({
      ca, commonName: 'manager-1', organizationalUnit: 'swarm-manager', organization: 'cluster-x', ips: ['127.0.0.1'], usage: 'both',
    })
    const stranger = await issueKeyAndCertificate({
      ca: other, commonName: 'intruder', organizationalUnit: 'swarm-manager', organization: 'cluster-x', usage: 'client',
    })
    const seen = await handshake(ca, server, stranger)
    expect(seen.authorized).toBe(false)
  })

  it('client refuses a server cert without a matching IP SAN', async () => {
    const ca = await createRootCA()
    const server = await issueKeyAndCertificate({
      ca, commonName: 'manager-1', organizationalUnit: 'swarm-manager', organization: 'c', ips: ['10.0.0.1'], usage: 'server',
    })
    const client = await issueKeyAndCertificate({ ca, commonName: 'n', organizationalUnit: 'swarm-worker', organization: 'c', usage: 'client' })
    await expect(handshake(ca, server, client)).rejects.toThrow(/IP: 127\.0\.0\.1 is not in the cert's list/)
  })
})
