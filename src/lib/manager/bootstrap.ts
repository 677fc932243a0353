// `swarm init`: make the CA and certificates, register the local engine as
// the first node (manager, leader), and write the manager's config and the
// host's context. Nothing is written unless the engine answered.
import { appendFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { applyAutolock, newNode, newSwarm, recordAdminCert, saveCA } from '../cluster/index.js'
import { newEngineRecord } from '../engine/record.js'
import {
  readContext, readManagerConfig, dataPaths, replacePair, writeContext, writeFile, writeManagerConfig, writeStoreFiles, type StorePems,
} from '../config/index.js'
import { connectEngine, probeEngine } from '../engine/index.js'
import { FailedPreconditionError, UnavailableError } from '../errors/index.js'
import { newId } from '../identity/index.js'
import { createRootCA, issueKeyAndCertificate, SecretBox } from '../pki/index.js'
import type { Store } from '../store/index.js'
import { openStore } from './open-store.js'
import { takeOverEngineAt } from '../network/teardown.js'
import type { EngineInfo, EngineRef } from '../types/index.js'
import { ADMIN_OU, MANAGER_OU } from '../pki/roles.js'
import { defaultAdvertiseAddr, resolveAdvertiseAddr, splitHostPort } from './addresses.js'

export interface InitOptions {
  dataDir: string
  engine: EngineRef
  advertiseAddr?: string
  listenAddr: string
  heartbeatMs: number
  /** Validity of the certificates the swarm issues (--cert-expiry), ms. */
  certExpiryMs: number
  /** An etcd store (several managers); default: SQLite in the data dir. */
  store?: StorePems
  /** The leader election's lease (s), for etcd. */
  leaseSeconds?: number
  /** Where the manager serves metrics and the cluster page (HOST:PORT). */
  metricsAddr?: string
  /** Autolock (--autolock): the manager's KEK file is wrapped with an unlock key once it runs. */
  autolock?: boolean
}

export interface InitResult {
  nodeId: string
  clusterId: string
  workerToken: string
  managerAddr: string
  /** What was removed from the engine first (another swarm's pieces), one line each; also in the manager's log. */
  notes: string[]
}

export const ALREADY_IN_SWARM = 'This node is already part of a swarm. Use "tsw swarm leave" to leave this swarm and join another one.'

/** Initialises a swarm in `dataDir`. Throws when the host is already in one or its engine does not answer. */
export async function initSwarm(opts: InitOptions): Promise<InitResult> {
  if (readManagerConfig(opts.dataDir) || readContext(opts.dataDir)) throw new FailedPreconditionError(ALREADY_IN_SWARM, 503)
  const listen = splitHostPort(opts.listenAddr, 'listen address')
  const asked = opts.advertiseAddr !== undefined ? resolveAdvertiseAddr(opts.advertiseAddr) : undefined
  const adv = asked ?? { host: listen.host !== '0.0.0.0' ? listen.host : defaultAdvertiseAddr() }
  const port = asked?.port ?? listen.port
  const info = await probe(opts.engine)

  const clusterId = newId()
  const nodeId = newId()
  const ca = await createRootCA()
  const sans = [...new Set([adv.host, '127.0.0.1', ...(listen.host !== '0.0.0.0' ? [listen.host] : [])])]
  const server = await issueKeyAndCertificate({
    ca, commonName: nodeId, organizationalUnit: MANAGER_OU, organization: clusterId,
    ips: sans.filter((s) => /^[\d.]+$|:/.test(s)), dnsNames: ['localhost', hostname()], usage: 'both', validityMs: opts.certExpiryMs,
  })
  const admin = await issueKeyAndCertificate({
    ca, commonName: `admin-${nodeId}`, organizationalUnit: ADMIN_OU, organization: clusterId, usage: 'client', validityMs: opts.certExpiryMs,
  })

  const paths = dataPaths(opts.dataDir)
  mkdirSync(paths.manager, { recursive: true, mode: 0o700 })
  if (existsSync(paths.db)) throw new FailedPreconditionError(`${paths.db} exists: remove it or use another --data-dir`)
  const swarm = newSwarm(clusterId, ca.certPem, opts.heartbeatMs)
  swarm.Spec.CAConfig.NodeCertExpiry = opts.certExpiryMs * 1_000_000
  swarm.Spec.EncryptionConfig.AutoLockManagers = opts.autolock === true
  const storeConfig = opts.store ? writeStoreFiles(paths, opts.store) : undefined
  // The CA key is sealed in the store with this key, which stays in the data dir (and on managers that join).
  writeFile(paths.caKek, SecretBox.newKey() + '\n', true)
  let store: Store
  try {
    store = await openStore(paths, clusterId, storeConfig)
  } catch (err) {
    rmSync(paths.manager, { recursive: true, force: true })
    throw err
  }
  let notes: string[]
  try {
    // Only once the store answers: a refused init must not touch the engine.
    notes = await takeOverEngineAt(opts.engine, clusterId)
    for (const n of notes) appendFileSync(paths.logfile, `${new Date().toISOString()} init: ${n}\n`, { mode: 0o600 })
    await saveCA(store, ca)
    await store.create('swarm', swarm)
    await store.create('engine', newEngineRecord(nodeId, opts.engine, info))
    const node = newNode(nodeId, info, 'manager', adv.host)
    node.ManagerStatus = { Leader: true, Reachability: 'reachable', Addr: `${adv.host}:${port}` }
    await store.create('node', node)
    await recordAdminCert(store, admin.certPem, nodeId)
    // The manager wraps its KEK file with this key as it starts (kek-file.ts).
    await applyAutolock(store, opts.autolock === true)
  } finally {
    await store.close()
  }
  replacePair(paths.serverKey, paths.serverCert, server.keyPem, server.certPem)
  writeManagerConfig(opts.dataDir, {
    ClusterID: clusterId, NodeID: nodeId, ListenAddr: `${listen.host}:${listen.port}`,
    AdvertiseAddr: adv.host, AdvertisePort: port, HeartbeatMs: opts.heartbeatMs,
    ...(storeConfig ? { Store: storeConfig } : {}), ...(opts.leaseSeconds ? { LeaseSeconds: opts.leaseSeconds } : {}),
    ...(opts.metricsAddr ? { MetricsAddr: opts.metricsAddr } : {}),
  })
  writeContext(opts.dataDir, { Manager: `${adv.host}:${port}`, ClusterID: clusterId, NodeID: nodeId, Role: 'manager' },
    { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem })
  return { nodeId, clusterId, workerToken: swarm.JoinTokens.Worker, managerAddr: `${adv.host}:${port}`, notes }
}

async function probe(ref: EngineRef): Promise<EngineInfo> {
  try {
    const conn = await connectEngine(ref, { timeoutMs: 10_000 })
    try {
      const info = await probeEngine(conn, 10_000)
      return conn.tunnel?.hostKey ? { ...info, SSHHostKey: conn.tunnel.hostKey } : info
    } finally {
      conn.close()
    }
  } catch (err) {
    throw new UnavailableError(`cannot reach the engine ${ref.URL}: ${(err as Error).message}. Pass the local engine's address with --engine`)
  }
}
