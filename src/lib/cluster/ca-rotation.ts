// The root CA's life in the store: certificate expiry from the swarm's spec, root CA
// rotation (docker swarm ca --rotate) and its end, and which nodes still hold
// certificates of the old root.
//
// A rotation makes a new root and at once signs with it: the swarm's TLSInfo and
// both join tokens change (old tokens no longer match the CA a joiner is shown).
// Until it ends, the old root stays trusted for client certificates, and managers
// present their new certificate with the new root cross-signed by the old key, so a
// host that still trusts only the old root connects, and renews (POST /tsw/renew).
// It ends when every node that holds a certificate has one of the new root (or when
// told to); from then on certificates of the old root are refused.
import { FailedPreconditionError, InvalidArgumentError, OutOfSequenceError } from '../errors/index.js'
import { checkSigningCA, createRootCA, crossSignCA, newJoinToken, openSecret, tlsInfoOf, type CertAndKey } from '../pki/index.js'
import { modify, type Store } from '../store/index.js'
import type { Node, Swarm } from '../types/index.js'
import { getSwarm, rotateJoinTokens, sealSecret, type StoredCA } from './swarm.js'

/** The stored root CA with the state of a rotation in progress. */
export interface StoredRootCA extends StoredCA {
  /** The root being replaced, still trusted while the rotation runs. */
  PreviousCertPem?: string
  /** The current root's certificate signed by the previous root's key. */
  CrossSignedPem?: string
  RotationStartedAt?: string
}

/** The root CA as the managers use it. */
export interface RootCAState {
  /** The root that signs every certificate. */
  current: CertAndKey
  /** During a rotation: the old root (still trusted) and the current root cross-signed by it. */
  previous?: { certPem: string; crossSignedPem: string }
}

// The one CA record (see swarm.ts).
const CA_ID = 'root'
const NS_PER_MS = 1_000_000

/** Node certificates last 90 days unless the swarm says otherwise (as swarm). */
export const DEFAULT_CERT_EXPIRY_MS = 90 * 24 * 3600 * 1000
/** Shorter certificates are refused (swarm refuses less than an hour; tsw allows short ones for tests). */
export const MIN_CERT_EXPIRY_MS = 60_000

/** The root CA and any rotation in progress; throws NotFoundError when the store holds no CA. */
export async function loadRootCA(store: Store): Promise<RootCAState> {
  const ca = await getCARecord(store)
  const state: RootCAState = { current: { certPem: ca.CertPem, keyPem: openSecret(ca.KeyPem, store.secrets) } }
  if (ca.PreviousCertPem && ca.CrossSignedPem) state.previous = { certPem: ca.PreviousCertPem, crossSignedPem: ca.CrossSignedPem }
  return state
}

/** Validity of the certificates the swarm issues, in ms (Spec.CAConfig.NodeCertExpiry is in ns). */
export function certExpiryMs(swarm: Swarm): number {
  const ns = swarm.Spec.CAConfig?.NodeCertExpiry
  return ns && ns > 0 ? Math.round(ns / NS_PER_MS) : DEFAULT_CERT_EXPIRY_MS
}

/** Checks a certificate validity (ms); throws InvalidArgumentError below the minimum. */
export function checkCertExpiry(ms: number): number {
  if (!Number.isFinite(ms) || ms < MIN_CERT_EXPIRY_MS) {
    throw new InvalidArgumentError(`CAConfig.NodeCertExpiry: minimum certificate expiry time is ${MIN_CERT_EXPIRY_MS / 1000}s`)
  }
  return ms
}

/**
 * POST /swarm/update: stores the spec (with docker's CAConfig) and rotates the chosen
 * join tokens, or starts a root CA rotation when CAConfig asks for one (ForceRotate
 * changed, or a SigningCACert/SigningCAKey pair). Returns whether the root changed.
 * Throws OutOfSequenceError, InvalidArgumentError, FailedPreconditionError.
 */
export async function updateSwarm(store: Store, version: number, spec: Swarm['Spec'] | undefined, tokens: { worker: boolean; manager: boolean }): Promise<boolean> {
  const swarm = await getSwarm(store)
  if (swarm.Version.Index !== version) throw new OutOfSequenceError()
  const asked = spec?.CAConfig
  if (asked?.ExternalCAs?.length) throw new InvalidArgumentError('CAConfig.ExternalCAs: external CAs are not supported')
  let signing: CertAndKey | undefined
  if (asked?.SigningCACert || asked?.SigningCAKey) {
    if (!asked.SigningCACert || !asked.SigningCAKey) throw new InvalidArgumentError('CAConfig: SigningCACert and SigningCAKey go together (no external CA signs for tsw)')
    signing = checkSigningCA(asked.SigningCACert, asked.SigningCAKey)
    if (signing.certPem.trim() === (await getCARecord(store)).CertPem.trim()) signing = undefined
  }
  const next = spec ? cleanSpec(swarm.Spec, spec) : undefined
  const rotate = signing !== undefined || (asked !== undefined && (asked.ForceRotate ?? 0) !== (swarm.Spec.CAConfig.ForceRotate ?? 0))
  if (!rotate) {
    await rotateJoinTokens(store, version, next, tokens)
    return false
  }
  await startRootRotation(store, swarm, next ?? swarm.Spec, signing)
  return true
}

/**
 * Starts a root rotation: a new root (or `signing`), cross-signed by the current one;
 * new TLSInfo and join tokens. Throws FailedPreconditionError while another runs.
 */
export async function startRootRotation(store: Store, swarm: Swarm, spec: Swarm['Spec'], signing?: CertAndKey): Promise<void> {
  const record = await getCARecord(store)
  if (record.PreviousCertPem) {
    throw new FailedPreconditionError('a root CA rotation is already in progress: wait until every node has renewed its certificate, or end it with "tsw swarm ca --finish-rotation"')
  }
  const old: CertAndKey = { certPem: record.CertPem, keyPem: openSecret(record.KeyPem, store.secrets) }
  const fresh = signing ?? await createRootCA()
  const crossSigned = await crossSignCA(fresh.certPem, old)
  // The swarm object is written first, compare-and-set: a concurrent update loses nothing.
  const next: Swarm = structuredClone(swarm)
  next.Spec = spec
  next.TLSInfo = tlsInfoOf(fresh.certPem)
  next.RootRotationInProgress = true
  next.JoinTokens = { Worker: newJoinToken(fresh.certPem), Manager: newJoinToken(fresh.certPem) }
  await store.update('swarm', next, swarm.Version.Index)
  await store.update<StoredRootCA>('ca', {
    ...record, CertPem: fresh.certPem, KeyPem: sealSecret(store, fresh.keyPem),
    PreviousCertPem: old.certPem, CrossSignedPem: crossSigned, RotationStartedAt: new Date().toISOString(),
  }, record.Version.Index)
}

/** Ends a rotation: the old root is no longer trusted. Returns false when none was running. */
export async function finishRootRotation(store: Store): Promise<boolean> {
  let finished = false
  await modify<StoredRootCA>(store, 'ca', CA_ID, (ca) => {
    finished = ca.PreviousCertPem !== undefined
    delete ca.PreviousCertPem
    delete ca.CrossSignedPem
    delete ca.RotationStartedAt
  })
  const swarm = await getSwarm(store)
  if (swarm.RootRotationInProgress) await modify<Swarm>(store, 'swarm', swarm.ID, (s) => { s.RootRotationInProgress = false })
  return finished
}

/** Nodes holding a certificate that is not of the current root, or a trust root that is not it. */
export async function nodesToRotate(store: Store): Promise<Node[]> {
  const { current } = await loadRootCA(store)
  const want = tlsInfoOf(current.certPem)
  return (await store.list<Node>('node')).filter((n) => {
    const have = n.Description.TLSInfo
    return have !== undefined && (have.CertIssuerPublicKey !== want.CertIssuerPublicKey || have.TrustRoot !== want.TrustRoot)
  })
}

/** Ends the rotation in progress once no node is left to rotate; returns whether it ended one. */
export async function finishRotationIfDone(store: Store): Promise<boolean> {
  const { previous } = await loadRootCA(store)
  if (!previous || (await nodesToRotate(store)).length > 0) return false
  return finishRootRotation(store)
}

/**
 * Records on a node the certificate it now holds (as swarm's Description.TLSInfo: the
 * issuer's subject and key, and the root it trusts). Writes only when it changed.
 */
export async function recordNodeCert(store: Store, nodeId: string, issuerPem: string, trustRootPem: string): Promise<void> {
  const info = { ...tlsInfoOf(issuerPem), TrustRoot: trustRootPem }
  const node = await store.get<Node>('node', nodeId)
  const have = node?.Description.TLSInfo
  if (!node || (have && have.TrustRoot === info.TrustRoot && have.CertIssuerPublicKey === info.CertIssuerPublicKey && have.CertIssuerSubject === info.CertIssuerSubject)) return
  await modify<Node>(store, 'node', nodeId, (n) => { n.Description = { ...n.Description, TLSInfo: info } })
}

async function getCARecord(store: Store): Promise<StoredRootCA> {
  const ca = await store.get<StoredRootCA>('ca', CA_ID)
  if (!ca) throw new FailedPreconditionError('the store holds no CA: was this swarm initialised?')
  return ca
}

// The spec as stored: a NodeCertExpiry of 0 keeps the current one (as docker's merge does),
// and the signing CA a client sent is never kept.
function cleanSpec(current: Swarm['Spec'], spec: Swarm['Spec']): Swarm['Spec'] {
  const { SigningCACert: _cert, SigningCAKey: _key, ...ca } = spec.CAConfig ?? current.CAConfig
  const expiry = ca.NodeCertExpiry ? checkCertExpiry(ca.NodeCertExpiry / NS_PER_MS) * NS_PER_MS : current.CAConfig.NodeCertExpiry
  return { ...current, ...spec, CAConfig: { ...current.CAConfig, ...ca, NodeCertExpiry: expiry } }
}
