import { describe, it, expect } from 'vitest'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import {
  certificateInfo, createRootCA, generateKeyPair, issueCertificate, issueKeyAndCertificate, verifyIssuedBy,
} from '../../../src/lib/pki/index.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'

const DAY = 86_400_000

describe('createRootCA', () => {
  it('makes a self-signed P-256 CA named swarm-ca valid for 20 years', async () => {
    const ca = await createRootCA()
    const cert = new X509Certificate(ca.certPem)
    expect(cert.ca).toBe(true)
    expect(cert.subject).toBe('CN=swarm-ca')
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(verifyIssuedBy(ca.certPem, ca.certPem)).toBe(true)
    const years = (new Date(cert.validTo).getTime() - Date.now()) / (365.25 * DAY)
    expect(Math.round(years)).toBe(20)
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(ca.certPem.endsWith('-----END CERTIFICATE-----\n')).toBe(true)
  })

  it('honours commonName and years, with random serials', async () => {
    const a = await createRootCA({ commonName: 'my-ca', years: 1 })
    const b = await createRootCA({ commonName: 'my-ca', years: 1 })
    expect(certificateInfo(a.certPem).commonName).toBe('my-ca')
    expect(certificateInfo(a.certPem).serialNumber).not.toBe(certificateInfo(b.certPem).serialNumber)
  })
})

describe('generateKeyPair', () => {
  it('returns PKCS#8 and SPKI PEMs', () => {
    const { privateKeyPem, publicKeyPem } = generateKeyPair()
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
  })
})

describe('issueCertificate', () => {
  it('issues a leaf for a given public key with subject, SANs, usage and backdating', async () => {
    const ca = await createRootCA()
    const { publicKeyPem } = generateKeyPair()
    const pem = await issueCertificate({
      ca, publicKeyPem, commonName: 'node-1', organizationalUnit: 'swarm-manager', organization: 'org, inc',
      ips: ['127.0.0.1', '::1'], dnsNames: ['manager.local'], usage: 'both',
    })
    const cert = new X509Certificate(pem)
    expect(cert.ca).toBe(false)
    expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(publicKeyPem)
    expect(cert.subjectAltName).toBe('DNS:manager.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'])
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    const from = new Date(cert.validFrom).getTime()
    expect(Date.now() - from).toBeGreaterThanOrEqual(59_000)
    expect(Math.round((new Date(cert.validTo).getTime() - from) / DAY)).toBe(90)
    expect(verifyIssuedBy(pem, ca.certPem)).toBe(true)

    const info = certificateInfo(pem)
    expect(info).toMatchObject({ commonName: 'node-1', organizationalUnit: 'swarm-manager', organization: 'org, inc' })
    expect(info.notAfter).toEqual(new Date(cert.validTo))
    expect(info.serialNumber).toBe(cert.serialNumber)
    expect(info.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  })

  it('sets only the asked extended key usage and honours days', async () => {
    const ca = await createRootCA()
    const server = await issueKeyAndCertificate({ ca, commonName: 's', organizationalUnit: 'u', organization: 'o', usage: 'server', days: 7 })
    const client = await issueKeyAndCertificate({ ca, commonName: 'c', organizationalUnit: 'u', organization: 'o', usage: 'client' })
    expect(new X509Certificate(server.certPem).keyUsage).toEqual(['1.3.6.1.5.5.7.3.1'])
    expect(new X509Certificate(client.certPem).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2'])
    const s = new X509Certificate(server.certPem)
    expect(Math.round((new Date(s.validTo).getTime() - new Date(s.validFrom).getTime()) / DAY)).toBe(7)
    expect(new X509Certificate(client.certPem).checkPrivateKey(createPrivateKey(client.keyPem))).toBe(true)
  })

  it('verifyIssuedBy is false for another CA or garbage', async () => {
    const ca = await createRootCA()
    const other = await createRootCA()
    const leaf = await issueKeyAndCertificate({ ca, commonName: 'n', organizationalUnit: 'u', organization: 'o', usage: 'client' })
    expect(verifyIssuedBy(leaf.certPem, other.certPem)).toBe(false)
    expect(verifyIssuedBy('nope', ca.certPem)).toBe(false)
  })

  it('throws InvalidArgumentError for an unparsable certificate', async () => {
    expect(() => certificateInfo('not a cert')).toThrow(InvalidArgumentError)
    const ca = await createRootCA()
    await expect(issueKeyAndCertificate({ ca: { ...ca, certPem: 'x' }, commonName: 'n', organizationalUnit: 'u', organization: 'o', usage: 'client' }))
      .rejects.toThrow(InvalidArgumentError)
  })
})
