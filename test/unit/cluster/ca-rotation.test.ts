// Root CA rotation and certificate renewal in a real (in-memory) store.
import { beforeEach, describe, expect, it } from 'vitest'
import { X509Certificate } from 'node:crypto'
import {
  certExpiryMs, finishRootRotation, loadRootCA, newSwarm, nodesToRotate, recordNodeCert, renewClientCertificate, saveCA, updateSwarm,
} from '../../../src/lib/cluster/index.js'
import { FailedPreconditionError, ForbiddenError, InvalidArgumentError, OutOfSequenceError } from '../../../src/lib/errors/index.js'
import { caDigest, createRootCA, generateKeyPair, issueKeyAndCertificate, parseJoinToken, type CertAndKey } from '../../../src/lib/pki/index.js'
import { certValidity, signedBy } from '../../../src/lib/pki/validity.js'
import { SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { Node, Swarm } from '../../../src/lib/types/index.js'
import { node } from '../orchestrator/fixtures.js'

const H48_NS = 48 * 3600 * 1e9

describe('root CA rotation in the store', () => {
  let store: Store
  let ca: CertAndKey
  let workerCert: string

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    ca = await createRootCA()
    await saveCA(store, ca)
    await store.create('swarm', newSwarm('cluster1', ca.certPem, 5000))
    await store.create('node', { ...node('w1'), Spec: { Labels: {}, Role: 'worker', Availability: 'active' } })
    await store.create('node', node('static')) // an engine added without a join: no certificate
    workerCert = (await issueKeyAndCertificate({ ca, commonName: 'w1', organizationalUnit: 'swarm-worker', organization: 'cluster1', usage: 'client' })).certPem
    await recordNodeCert(store, 'w1', ca.certPem, ca.certPem)
  })

  const swarm = () => store.list<Swarm>('swarm').then((s) => s[0])
  const rotate = async () => {
    const s = await swarm()
    return updateSwarm(store, s.Version.Index, { ...s.Spec, CAConfig: { ...s.Spec.CAConfig, ForceRotate: (s.Spec.CAConfig.ForceRotate ?? 0) + 1 } }, { worker: false, manager: false })
  }

  it('stores NodeCertExpiry (ns) and uses it; refuses less than a minute, a stale version, external CAs', async () => {
    const s = await swarm()
    expect(certExpiryMs(s)).toBe(90 * 86_400_000)
    expect(await updateSwarm(store, s.Version.Index, { ...s.Spec, CAConfig: { NodeCertExpiry: H48_NS } }, { worker: false, manager: false })).toBe(false)
    const after = await swarm()
    expect(after.Spec.CAConfig.NodeCertExpiry).toBe(H48_NS)
    expect(certExpiryMs(after)).toBe(48 * 3600 * 1000)
    expect(after.JoinTokens).toEqual(s.JoinTokens)
    await expect(updateSwarm(store, s.Version.Index, s.Spec, { worker: false, manager: false })).rejects.toThrow(OutOfSequenceError)
    await expect(updateSwarm(store, after.Version.Index, { ...s.Spec, CAConfig: { NodeCertExpiry: 30e9 } }, { worker: false, manager: false }))
      .rejects.toThrow('minimum certificate expiry time is 60s')
    await expect(updateSwarm(store, after.Version.Index, { ...s.Spec, CAConfig: { NodeCertExpiry: H48_NS, ExternalCAs: [{}] } }, { worker: false, manager: false }))
      .rejects.toThrow(InvalidArgumentError)
  })

  it('ForceRotate makes a new root, cross-signed by the old one, with new TLSInfo and join tokens', async () => {
    const before = await swarm()
    expect(await rotate()).toBe(true)
    const after = await swarm()
    const root = await loadRootCA(store)
    expect(root.current.certPem).not.toBe(ca.certPem)
    expect(root.previous?.certPem).toBe(ca.certPem)
    expect(signedBy(root.previous!.crossSignedPem, ca.certPem)).toBe(true)
    expect(new X509Certificate(root.previous!.crossSignedPem).publicKey.export({ type: 'spki', format: 'pem' }))
      .toBe(new X509Certificate(root.current.certPem).publicKey.export({ type: 'spki', format: 'pem' }))
    expect(after.TLSInfo.TrustRoot).toBe(root.current.certPem)
    expect(after.RootRotationInProgress).toBe(true)
    expect(after.Spec.CAConfig.ForceRotate).toBe(1)
    for (const t of [after.JoinTokens.Worker, after.JoinTokens.Manager]) expect(parseJoinToken(t).digest).toBe(caDigest(root.current.certPem))
    expect(after.JoinTokens.Worker).not.toBe(before.JoinTokens.Worker)
    // Only the node that holds a certificate waits; the engine added without one does not.
    expect((await nodesToRotate(store)).map((n) => n.ID)).toEqual(['w1'])
    await expect(rotate()).rejects.toThrow(FailedPreconditionError)
  })

  it('a renewal with the old certificate gets one of the new root; the last one ends the rotation', async () => {
    await store.update<Swarm>('swarm', { ...(await swarm()), Spec: { ...(await swarm()).Spec, CAConfig: { NodeCertExpiry: 120e9 } } })
    await rotate()
    const root = await loadRootCA(store)
    const { publicKeyPem } = generateKeyPair()
    const answer = await renewClientCertificate(store, root.current, workerCert, publicKeyPem)
    expect(answer.CACert).toBe(root.current.certPem)
    expect(signedBy(answer.Cert, root.current.certPem)).toBe(true)
    const cert = new X509Certificate(answer.Cert)
    expect(cert.subject).toBe('O=cluster1\nOU=swarm-worker\nCN=w1')
    expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(publicKeyPem)
    expect(certValidity(answer.Cert).notAfter - Date.now()).toBeGreaterThan(110_000)
    expect((await store.get<Node>('node', 'w1'))?.Description.TLSInfo?.TrustRoot).toBe(root.current.certPem)
    expect(await nodesToRotate(store)).toEqual([])
    expect((await loadRootCA(store)).previous).toBeUndefined()
    expect((await swarm()).RootRotationInProgress).toBe(false)
  })

  it('the role of a renewed certificate follows the node; a removed node cannot renew; a bad key is refused', async () => {
    await store.update<Node>('node', { ...(await store.get<Node>('node', 'w1'))!, Spec: { Labels: {}, Role: 'manager', Availability: 'active' } })
    const promoted = await renewClientCertificate(store, ca, workerCert, generateKeyPair().publicKeyPem)
    expect(new X509Certificate(promoted.Cert).subject).toContain('OU=swarm-manager')
    await expect(renewClientCertificate(store, ca, workerCert, 'nope')).rejects.toThrow(InvalidArgumentError)
    await store.delete('node', 'w1')
    await expect(renewClientCertificate(store, ca, workerCert, generateKeyPair().publicKeyPem)).rejects.toThrow(ForbiddenError)
  })

  it('a rotation can be ended before every node renewed; a given CA is rotated to', async () => {
    await rotate()
    expect(await finishRootRotation(store)).toBe(true)
    expect(await finishRootRotation(store)).toBe(false)
    expect((await swarm()).RootRotationInProgress).toBe(false)
    const mine = await createRootCA()
    const s = await swarm()
    expect(await updateSwarm(store, s.Version.Index, { ...s.Spec, CAConfig: { ...s.Spec.CAConfig, SigningCACert: mine.certPem, SigningCAKey: mine.keyPem } }, { worker: false, manager: false })).toBe(true)
    expect((await loadRootCA(store)).current.certPem).toBe(mine.certPem)
    const stored = await swarm()
    expect(stored.Spec.CAConfig.SigningCAKey).toBeUndefined()
    expect(stored.Spec.CAConfig.SigningCACert).toBeUndefined()
  })
})
