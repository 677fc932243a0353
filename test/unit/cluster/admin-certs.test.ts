// Admin certificates recorded in a real (in-memory) store: checked on every request
// and renewal, revoked by serial (with its renewals), by common name, or with the
// node whose manager issued them.
import { X509Certificate } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import { authorizer } from '../../../src/lib/api/authorize.js'
import type { ApiRequest } from '../../../src/lib/api/http.js'
import {
  adminCertUsable, checkAdminCert, newSwarm, normalSerial, recordAdminCert, removeNode, renewClientCertificate, revokeAdminCerts, saveCA,
  type AdminCertificate,
} from '../../../src/lib/cluster/index.js'
import { ForbiddenError, NotFoundError } from '../../../src/lib/errors/index.js'
import { createRootCA, generateKeyPair, issueKeyAndCertificate, type CertAndKey } from '../../../src/lib/pki/index.js'
import { SqliteStore, type Store } from '../../../src/lib/store/index.js'
import { node } from '../orchestrator/fixtures.js'

const serialOf = (pem: string) => normalSerial(new X509Certificate(pem).serialNumber)

describe('admin certificates', () => {
  let store: Store
  let ca: CertAndKey
  let admin: string

  const issue = async (cn: string) =>
    (await issueKeyAndCertificate({ ca, commonName: cn, organizationalUnit: 'tsw-admin', organization: 'cluster1', usage: 'client' })).certPem

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    ca = await createRootCA()
    await saveCA(store, ca)
    await store.create('swarm', newSwarm('cluster1', ca.certPem, 5000))
    admin = await issue('admin-m1')
    await recordAdminCert(store, admin, 'm1')
  })

  const request = { method: 'GET', path: '/services' } as ApiRequest
  const asAdmin = (pem: string) => authorizer(store)({ commonName: 'admin-m1', organizationalUnit: 'tsw-admin', serial: new X509Certificate(pem).serialNumber }, request)

  it('a recorded admin certificate is authorised; an unknown one is refused with 401', async () => {
    await expect(asAdmin(admin)).resolves.toBeUndefined()
    const stray = await issue('admin-m1')
    await expect(asAdmin(stray)).rejects.toThrow(ForbiddenError)
    await expect(asAdmin(stray)).rejects.toThrow(/is not one this swarm issued/)
    await expect(asAdmin(stray)).rejects.toMatchObject({ status: 401 })
    // An identity forwarded by a manager carries no serial: that manager checked it.
    await expect(authorizer(store)({ commonName: 'admin-m1', organizationalUnit: 'tsw-admin' }, request)).resolves.toBeUndefined()
  })

  it('revoked by serial: refused on requests and renewal, with its renewals; others stay', async () => {
    const renewed = await renewClientCertificate(store, ca, admin, generateKeyPair().publicKeyPem)
    const record = await store.get<AdminCertificate>('certificate', serialOf(renewed.Cert))
    expect(record).toMatchObject({ CommonName: 'admin-m1', IssuedBy: 'm1', RenewedFrom: serialOf(admin) })
    const other = await issue('admin-m2')
    await recordAdminCert(store, other, 'm2')

    const revoked = await revokeAdminCerts(store, new X509Certificate(admin).serialNumber.toLowerCase(), 'leaked')
    expect(revoked.map((c) => c.ID).sort()).toEqual([serialOf(admin), serialOf(renewed.Cert)].sort())
    await expect(asAdmin(admin)).rejects.toThrow(/was revoked at .* \(leaked\): every manager refuses it/)
    await expect(asAdmin(renewed.Cert)).rejects.toThrow(/was revoked/)
    await expect(renewClientCertificate(store, ca, admin, generateKeyPair().publicKeyPem)).rejects.toThrow(/was revoked/)
    expect(await adminCertUsable(store, serialOf(other))).toBe(true)
    // Revoking again revokes nothing new; a name that matches nothing is a NotFoundError.
    expect(await revokeAdminCerts(store, serialOf(admin), 'again')).toEqual([])
    await expect(revokeAdminCerts(store, 'admin-nobody', 'x')).rejects.toThrow(NotFoundError)
  })

  it('revoked by common name: every certificate of that name', async () => {
    const second = await issue('admin-m1')
    await recordAdminCert(store, second, 'm1')
    expect((await revokeAdminCerts(store, 'admin-m1', 'x')).length).toBe(2)
    await expect(checkAdminCert(store, serialOf(second), 'admin-m1')).rejects.toThrow(/was revoked/)
  })

  it('removing the node whose manager issued them revokes them', async () => {
    await store.create('node', { ...node('m1'), Spec: { Labels: {}, Role: 'worker', Availability: 'active' }, Status: { State: 'down', Addr: '10.0.0.1' } })
    await removeNode(store, 'm1', false)
    await expect(asAdmin(admin)).rejects.toThrow(/was revoked at .* \(node m1 was removed\)/)
  })

  it('a demoted manager\'s renewed certificate is a worker\'s: client use only, OU swarm-worker', async () => {
    await store.create('node', { ...node('m2'), Spec: { Labels: {}, Role: 'worker', Availability: 'active' } })
    const old = (await issueKeyAndCertificate({ ca, commonName: 'm2', organizationalUnit: 'swarm-manager', organization: 'cluster1', usage: 'both', ips: ['10.0.0.2'] })).certPem
    expect(new X509Certificate(old).keyUsage).toContain('1.3.6.1.5.5.7.3.1')
    const renewed = new X509Certificate((await renewClientCertificate(store, ca, old, generateKeyPair().publicKeyPem)).Cert)
    expect(renewed.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2'])
    expect(renewed.subject).toMatch(/OU=swarm-worker/)
  })
})
