// The join handshake, manager side: check the token, reach the joiner's
// engine, record the node, and sign the joiner's public key.
import { createHash, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import { ConflictError, FailedPreconditionError, InvalidArgumentError, UnavailableError } from '../errors/index.js'
import { newId } from '../identity/index.js'
import { issueCertificate, parseJoinToken, type CertAndKey } from '../pki/index.js'
import type { Store } from '../store/index.js'
import type { EngineInfo, EngineRef, Node, NodeRole, Swarm } from '../types/index.js'
import { certExpiryMs, recordNodeCert } from './ca-rotation.js'
import { roleOU } from '../pki/roles.js'
import { newNode } from './node-record.js'
import { newEngineRecord, type StoredEngine } from '../engine/record.js'
import { getSwarm } from './swarm.js'
import type { EngineIndex } from './engine-index.js'

export interface JoinRequest {
  Token: string
  Engine: EngineRef
  AdvertiseAddr?: string
  /** SPKI PEM of the key the joiner made; the manager signs it. */
  PublicKey: string
  /** Where the joiner's own manager would listen (IP:PORT), should it join as one. */
  ListenAddr?: string
}

/** What a host joining an etcd swarm as a manager needs to run one. */
export interface ManagerSetup {
  Store: { URL: string; CACert?: string; Cert?: string; Key?: string }
  HeartbeatMs: number
  LeaseSeconds?: number
  /** The key-encryption key that seals the CA key in the store (base64), for the joiner's data dir. */
  KeyEncryptionKey?: string
  /** The address the serving certificate is for (a promoted node's), when the joiner did not say. */
  AdvertiseAddr?: string
}

export interface JoinResponse {
  NodeID: string
  Role: NodeRole
  ClusterID: string
  CACert: string
  Cert: string
  /** Set when the joiner is to run a manager (a manager token, an etcd swarm); Cert then serves too. */
  ManagerSetup?: ManagerSetup
  /** What the manager removed from the engine before it joined (another swarm's pieces), one line each. */
  Notes?: string[]
}

export interface JoinDeps {
  store: Store
  ca: CertAndKey
  /** Reads the engine's /info; throws UnavailableError when it cannot be reached. */
  probe: (ref: EngineRef) => Promise<EngineInfo>
  /** What a joining manager needs, when this swarm can run several (etcd); undefined otherwise. */
  managerSetup?: () => ManagerSetup | undefined
  /** Removes what other swarms left on the engine before it joins; says what (network/teardown.ts). */
  takeOver?: (ref: EngineRef) => Promise<string[]>
  /** The nodes' engines by address and identity (one per store); without it a join lists every engine and node. */
  index?: EngineIndex
}

/** Checks a join request and adds its node. Nothing is stored unless every check passes. */
export async function joinNode(deps: JoinDeps, req: JoinRequest): Promise<JoinResponse> {
  if (!req || typeof req.Token !== 'string' || !req.Engine?.URL || typeof req.PublicKey !== 'string') {
    throw new InvalidArgumentError('a join request needs Token, Engine.URL and PublicKey')
  }
  checkAdvertiseAddr(req.AdvertiseAddr)
  const swarm = await getSwarm(deps.store)
  const role = roleOfToken(req.Token, swarm.JoinTokens)
  const setup = role === 'manager' ? deps.managerSetup?.() : undefined
  return once(deps, req.Engine.URL, () => joinChecked(deps, req, swarm, role, setup))
}

// The join of an engine whose token was good, from its checks on.
async function joinChecked(deps: JoinDeps, req: JoinRequest, swarm: Swarm, role: NodeRole, setup: ManagerSetup | undefined): Promise<JoinResponse> {
  const info = await checkNewEngine(deps, req.Engine)
  const notes = (await deps.takeOver?.(req.Engine)) ?? []
  const id = newId()
  const addr = req.AdvertiseAddr || hostOf(req.Engine.URL)
  const cert = await issueCertificate({
    ca: deps.ca, publicKeyPem: req.PublicKey, commonName: id,
    organizationalUnit: roleOU(role),
    organization: swarm.ID, usage: setup ? 'both' : 'client', validityMs: certExpiryMs(swarm),
    ...(setup ? managerNames(addr, info.Hostname) : {}),
  })
  await storeEngineNode(deps.store, id, req.Engine, info, role, addr, setup ? `${addr}:${listenPort(req.ListenAddr)}` : undefined)
  await recordNodeCert(deps.store, id, deps.ca.certPem, deps.ca.certPem)
  return {
    NodeID: id, Role: role, ClusterID: swarm.ID, CACert: deps.ca.certPem, Cert: cert,
    ...(setup ? { ManagerSetup: setup } : {}), ...(notes.length ? { Notes: notes } : {}),
  }
}

/**
 * Adds an engine as a worker node without a join (classic swarm's static
 * discovery: `tsw node add`, `tsw manager --engines-file`). Returns its node.
 */
export async function addEngineNode(deps: Pick<JoinDeps, 'store' | 'probe' | 'takeOver' | 'index'>, engine: EngineRef, advertiseAddr?: string): Promise<Node> {
  if (!engine?.URL) throw new InvalidArgumentError('an engine address is required, e.g. tcp://10.0.0.12:2375')
  checkAdvertiseAddr(advertiseAddr)
  return once(deps, engine.URL, async () => {
    const info = await checkNewEngine(deps, engine)
    await deps.takeOver?.(engine)
    return storeEngineNode(deps.store, newId(), engine, info, 'worker', advertiseAddr)
  })
}

// One join of an engine URL at a time (when there is an index): the second is then refused as a duplicate.
function once<T>(deps: Pick<JoinDeps, 'index'>, url: string, fn: () => Promise<T>): Promise<T> {
  return deps.index ? deps.index.exclusive(url, fn) : fn()
}

// The engine answers and is not a node of this swarm yet; returns what it says of itself.
async function checkNewEngine(deps: Pick<JoinDeps, 'store' | 'probe' | 'index'>, engine: EngineRef): Promise<EngineInfo> {
  let info: EngineInfo
  try {
    info = await deps.probe(engine)
  } catch (err) {
    throw new UnavailableError(`the manager cannot reach the engine ${engine.URL}: ${(err as Error).message}. Check the address and that the engine listens there, reachable from the manager`)
  }
  const same = deps.index ? await deps.index.find(engine.URL, info.ID, info.Hostname) : await findByListing(deps.store, engine.URL, info)
  if (same) throw new ConflictError(`This node is already part of a swarm: engine ${engine.URL} (${info.Hostname}) is node ${same}. Use "tsw swarm leave" to leave this swarm and join another one.`)
  return info
}

// The node whose engine is at url or is this engine, by listing every engine and node (no index at hand).
async function findByListing(store: Store, url: string, info: EngineInfo): Promise<string | undefined> {
  const engines = await store.list<StoredEngine>('engine')
  const nodes = await store.list<Node>('node')
  return engines.find((e) => !e.Left && (e.Ref.URL === url ||
    // Engines cloned from one image can share an ID (key.json): the hostname must match too.
    (e.EngineID === info.ID && nodes.find((n) => n.ID === e.ID)?.Description.Hostname === info.Hostname)))?.ID
}

/** Records a new node and its engine; a manager that will run gets its API address (`managerAddr`). */
async function storeEngineNode(
  store: Store, id: string, engine: EngineRef, info: EngineInfo, role: NodeRole, addr?: string, managerAddr?: string,
): Promise<Node> {
  const node = newNode(id, info, role, addr || hostOf(engine.URL))
  if (managerAddr) node.ManagerStatus = { Reachability: 'unreachable', Addr: managerAddr }
  // One transaction: an engine record without its node would say "already part of a swarm" for ever.
  const [, saved] = await store.createAll([{ kind: 'engine', obj: newEngineRecord(id, engine, info) }, { kind: 'node', obj: node }])
  return saved as Node
}

/** What a manager's serving certificate is for: its address (when an IP), loopback, and its host name. */
function managerNames(addr: string, hostname: string): { ips: string[]; dnsNames: string[] } {
  return { ips: [...new Set([addr, '127.0.0.1'])].filter((a) => /^[\d.]+$|:/.test(a)), dnsNames: ['localhost', hostname] }
}

/**
 * A node's advertised address must be an IP: it becomes the DNS server of its tasks
 * and the data-path address of its overlays. docker's message; the joiner's CLI has
 * already turned an interface name into its address.
 */
function checkAdvertiseAddr(addr: unknown): void {
  if (addr === undefined || addr === '') return
  if (typeof addr !== 'string' || isIP(addr) === 0 || addr === '0.0.0.0' || addr === '::') {
    throw new InvalidArgumentError(`advertise address must be a non-zero IP address or network interface (with optional port number): ${JSON.stringify(addr)} is not an IP address`)
  }
}

/** A join refused for its token (counted by the API's JoinLimiter). */
export class JoinTokenError extends InvalidArgumentError {}

/** Compares two strings in constant time (over equal-length digests of them). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(a), digest(b))
}

/** worker or manager, by which of the cluster's tokens this is. */
function roleOfToken(token: string, tokens: { Worker: string; Manager: string }): NodeRole {
  try {
    parseJoinToken(token)
  } catch {
    throw new JoinTokenError('invalid join token: it should look like SWMTKN-1-<digest>-<secret>; get one with "tsw swarm join-token worker" on a manager')
  }
  // Constant time: how long the comparison takes says nothing of how much of a token was right.
  if (sameSecret(token, tokens.Worker)) return 'worker'
  if (sameSecret(token, tokens.Manager)) return 'manager'
  throw new JoinTokenError('A valid join token is necessary to join this cluster: this token is not (or no longer) valid; get the current one with "tsw swarm join-token worker" on a manager')
}

/** The port of a listen address (2377 unless it says otherwise). */
function listenPort(listen?: string): number {
  const m = /:(\d+)$/.exec(listen ?? '')
  return m ? Number(m[1]) : 2377
}

/** The host part of an engine URL (the node's address when none is advertised). */
export function hostOf(url: string): string {
  const m = /^(?:tcp|ssh):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?]+)/.exec(url)
  return m ? m[1].replace(/^\[|\]$/g, '') : '127.0.0.1'
}

/**
 * A promoted node's host asks for what its own manager needs (POST
 * /tsw/manager-setup, with the node's certificate): a serving certificate for
 * `publicKeyPem` and the store. Throws FailedPreconditionError when the node is
 * no manager or the swarm keeps its state in SQLite (one manager only).
 */
export async function setupPromotedManager(
  deps: JoinDeps, nodeId: string, req: { PublicKey?: unknown; ListenAddr?: string; AdvertiseAddr?: string },
): Promise<JoinResponse> {
  if (typeof req?.PublicKey !== 'string') throw new InvalidArgumentError('a manager setup request needs PublicKey')
  checkAdvertiseAddr(req.AdvertiseAddr)
  const node = await deps.store.get<Node>('node', nodeId)
  if (!node || node.Spec.Role !== 'manager') throw new FailedPreconditionError(`node ${nodeId} is not a manager: promote it first (tsw node promote)`)
  const setup = deps.managerSetup?.()
  if (!setup) {
    throw new FailedPreconditionError('this swarm keeps its state in SQLite, which one manager serves: to run several, move it to etcd (tsw manager --store etcd://… --import-from DATA-DIR)')
  }
  const swarm = await getSwarm(deps.store)
  const addr = req.AdvertiseAddr || node.Status.Addr
  const cert = await issueCertificate({
    ca: deps.ca, publicKeyPem: req.PublicKey, commonName: nodeId, organizationalUnit: roleOU('manager'), organization: swarm.ID,
    usage: 'both', validityMs: certExpiryMs(swarm), ...managerNames(addr, node.Description.Hostname),
  })
  await recordNodeCert(deps.store, nodeId, deps.ca.certPem, deps.ca.certPem)
  return { NodeID: nodeId, Role: 'manager', ClusterID: swarm.ID, CACert: deps.ca.certPem, Cert: cert, ManagerSetup: { ...setup, AdvertiseAddr: addr } }
}
