// The cluster object and the CA kept beside it.
import { NotFoundError } from '../errors/index.js'
import { isSealed, newJoinToken, openSecret, tlsInfoOf, type CertAndKey } from '../pki/index.js'
import type { Store } from '../store/index.js'
import type { StoredObject, Swarm } from '../types/index.js'

/** The root CA as stored (its key never leaves the managers). */
export interface StoredCA extends StoredObject {
  CertPem: string
  KeyPem: string
}

const CA_ID = 'root'

/** A new cluster object with fresh join tokens for the CA. */
export function newSwarm(id: string, caPem: string, heartbeatMs: number): Swarm {
  return {
    ID: id,
    Version: { Index: 0 },
    CreatedAt: '',
    UpdatedAt: '',
    Spec: {
      Name: 'default',
      Labels: {},
      Orchestration: { TaskHistoryRetentionLimit: 5 },
      Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
      Dispatcher: { HeartbeatPeriod: heartbeatMs * 1_000_000 },
      CAConfig: { NodeCertExpiry: 90 * 24 * 3600 * 1e9 },
      TaskDefaults: {},
      EncryptionConfig: { AutoLockManagers: false },
    },
    TLSInfo: tlsInfoOf(caPem),
    RootRotationInProgress: false,
    DefaultAddrPool: ['10.0.0.0/8'],
    SubnetSize: 24,
    DataPathPort: 4789,
    JoinTokens: { Worker: newJoinToken(caPem), Manager: newJoinToken(caPem) },
  }
}

/** The one cluster object. Throws NotFoundError when the store holds no swarm. */
export async function getSwarm(store: Store): Promise<Swarm> {
  const swarms = await store.list<Swarm>('swarm')
  if (swarms.length === 0) throw new NotFoundError('This node is not a swarm manager. Use "tsw swarm init" or "tsw swarm join" to connect this node to swarm and try again.')
  return swarms[0]
}

/** Stores the CA. */
export async function saveCA(store: Store, ca: CertAndKey): Promise<void> {
  await store.create<StoredCA>('ca', { ID: CA_ID, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', CertPem: ca.certPem, KeyPem: sealSecret(store, ca.keyPem) })
}

/** The CA key as the store keeps it: sealed when the store has a key-encryption key. */
export function sealSecret(store: Store, plain: string): string {
  return store.secrets ? store.secrets.seal(plain) : plain
}

/**
 * Seals a CA key still stored in clear (a swarm made before sealing) when this
 * manager has a key-encryption key; returns whether it did.
 */
export async function sealStoredCAKey(store: Store): Promise<boolean> {
  const ca = await store.get<StoredCA>('ca', CA_ID)
  if (!ca || !store.secrets || isSealed(ca.KeyPem)) return false
  await store.update<StoredCA>('ca', { ...ca, KeyPem: store.secrets.seal(ca.KeyPem) }, ca.Version.Index)
  return true
}

/** The stored CA. */
export async function loadCA(store: Store): Promise<CertAndKey> {
  const ca = await store.get<StoredCA>('ca', CA_ID)
  if (!ca) throw new NotFoundError('the store holds no CA: was this swarm initialised?')
  return { certPem: ca.CertPem, keyPem: openSecret(ca.KeyPem, store.secrets) }
}

/** Replaces the chosen join tokens with new ones; the old ones stop working at once. */
export async function rotateJoinTokens(store: Store, version: number, spec: Swarm['Spec'] | undefined, rotate: { worker: boolean; manager: boolean }): Promise<Swarm> {
  const swarm = await getSwarm(store)
  const next: Swarm = structuredClone(swarm)
  if (spec) next.Spec = { ...swarm.Spec, ...spec }
  if (rotate.worker) next.JoinTokens.Worker = newJoinToken(swarm.TLSInfo.TrustRoot)
  if (rotate.manager) next.JoinTokens.Manager = newJoinToken(swarm.TLSInfo.TrustRoot)
  return store.update('swarm', next, version)
}
