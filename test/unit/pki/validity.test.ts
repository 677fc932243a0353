import { describe, it, expect } from 'vitest'
import { createRootCA, issueKeyAndCertificate } from '../../../src/lib/pki/index.js'
import { crossSignCA } from '../../../src/lib/pki/rotation.js'
import { certValidity, renewalReason, renewalTime, signedBy } from '../../../src/lib/pki/validity.js'

const DAY = 86_400_000

describe('certificate expiry', () => {
  it('a certificate lasts the asked validity from now, backdated by at most a minute', async () => {
    const ca = await createRootCA()
    const before = Date.now()
    const long = await issueKeyAndCertificate({ ca, commonName: 'n', organizationalUnit: 'u', organization: 'o', usage: 'client', validityMs: 90 * DAY })
    const v = certValidity(long.certPem)
    // X.509 times have whole seconds.
    expect(v.notAfter).toBeGreaterThanOrEqual(Math.floor((before + 90 * DAY) / 1000) * 1000)
    expect(v.notAfter - v.notBefore).toBeGreaterThanOrEqual(90 * DAY + 59_000)
    expect(v.notAfter - v.notBefore).toBeLessThanOrEqual(90 * DAY + 61_000)
  })

  it('a short validity is backdated by a tenth of it, not by a minute', async () => {
    const ca = await createRootCA()
    const short = await issueKeyAndCertificate({ ca, commonName: 'n', organizationalUnit: 'u', organization: 'o', usage: 'client', validityMs: 90_000 })
    const v = certValidity(short.certPem)
    expect(v.notAfter - v.notBefore).toBeGreaterThanOrEqual(98_000)
    expect(v.notAfter - v.notBefore).toBeLessThanOrEqual(100_000)
    expect(v.notAfter - Date.now()).toBeGreaterThan(85_000)
  })
})

describe('renewal decision', () => {
  it('is due once less than a third of the lifetime is left', async () => {
    const ca = await createRootCA()
    const { certPem } = await issueKeyAndCertificate({ ca, commonName: 'n', organizationalUnit: 'u', organization: 'o', usage: 'client', validityMs: 90 * DAY })
    const { notBefore, notAfter } = certValidity(certPem)
    const at = renewalTime(certPem)
    expect(at).toBe(notAfter - (notAfter - notBefore) / 3)
    expect(renewalReason(certPem, Date.now())).toBeUndefined()
    expect(renewalReason(certPem, at - 1)).toBeUndefined()
    expect(renewalReason(certPem, at)).toBe('expiring')
    expect(renewalReason(certPem, notAfter + 1)).toBe('expiring')
  })

  it('is due when the root given did not sign it (a rotated root), not when it did', async () => {
    const oldCa = await createRootCA()
    const newCa = await createRootCA()
    const { certPem } = await issueKeyAndCertificate({ ca: oldCa, commonName: 'n', organizationalUnit: 'u', organization: 'o', usage: 'client' })
    expect(renewalReason(certPem, Date.now(), oldCa.certPem)).toBeUndefined()
    expect(renewalReason(certPem, Date.now(), newCa.certPem)).toBe('root')
    // Time comes first: an expiring certificate says so whatever the root.
    expect(renewalReason(certPem, renewalTime(certPem) + 1, newCa.certPem)).toBe('expiring')
  })

  it('signedBy tells the issuing root apart from a cross-signed copy and from garbage', async () => {
    const oldCa = await createRootCA()
    const newCa = await createRootCA()
    const cross = await crossSignCA(newCa.certPem, oldCa)
    const { certPem } = await issueKeyAndCertificate({ ca: newCa, commonName: 'n', organizationalUnit: 'u', organization: 'o', usage: 'client' })
    expect(signedBy(certPem, newCa.certPem)).toBe(true)
    // Same subject and key as the new root: the leaf verifies against it too.
    expect(signedBy(certPem, cross)).toBe(true)
    expect(signedBy(certPem, oldCa.certPem)).toBe(false)
    expect(signedBy('garbage', newCa.certPem)).toBe(false)
  })
})
