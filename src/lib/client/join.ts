// The join handshake, joiner side: fetch the manager's CA, check it against
// the digest in the token before sending anything, then send the join request
// over a connection that trusts only that CA.
import { request } from 'node:https'
import { dataPaths, replacePair, updateContext, writeContext, writeFile, writeManagerConfig, writeStoreFiles } from '../config/index.js'
import { hostOf, type JoinResponse } from '../cluster/join.js'
import { InvalidArgumentError } from '../errors/index.js'
import { caDigest, generateKeyPair, parseJoinToken } from '../pki/index.js'
import type { EngineRef, NodeRole } from '../types/index.js'
import { ConnectError, ManagerClient } from './client.js'
import { parseManagerHost } from './connect.js'

export interface JoinOptions {
  token: string
  manager: string
  engine: EngineRef
  advertiseAddr?: string
  /** Where this host's manager listens (IP:PORT), should it join as one; default 0.0.0.0:2377. */
  listenAddr?: string
  dataDir: string
}

/**
 * Joins this host's engine to the swarm; writes the context (and, when it is
 * to run a manager, the manager's config and certificate); returns the role it
 * joined as, whether a manager is to be started here, and what the manager
 * removed from the engine first (another swarm's pieces).
 */
export async function joinSwarm(opts: JoinOptions): Promise<{ nodeId: string; role: NodeRole; runsManager: boolean; notes: string[] }> {
  let token
  try {
    token = parseJoinToken(opts.token)
  } catch {
    throw new InvalidArgumentError('invalid join token: it should look like SWMTKN-1-<digest>-<secret>; get one with "tsw swarm join-token worker" on a manager')
  }
  const { host, port } = parseManagerHost(opts.manager)
  const caPem = await fetchCA(host, port)
  if (caDigest(caPem) !== token.digest) {
    throw new InvalidArgumentError(`the manager at ${host}:${port} presents a CA whose digest does not match the join token: refusing to join (wrong manager, or a token of another swarm)`)
  }
  const keys = generateKeyPair()
  const client = new ManagerClient(host, port, { ca: caPem })
  const listenAddr = opts.listenAddr ?? '0.0.0.0:2377'
  const res = await client.post<JoinResponse>('/tsw/join', {
    body: { Token: opts.token, Engine: opts.engine, AdvertiseAddr: opts.advertiseAddr, PublicKey: keys.publicKeyPem, ListenAddr: listenAddr },
  })
  let managerAddr = `${host}:${port}`
  if (res.ManagerSetup) managerAddr = writeManagerFiles(opts, res, listenAddr, keys.privateKeyPem)
  writeContext(opts.dataDir, { Manager: managerAddr, ClusterID: res.ClusterID, NodeID: res.NodeID, Role: res.Role },
    { ca: res.CACert, cert: res.Cert, key: keys.privateKeyPem })
  return { nodeId: res.NodeID, role: res.Role, runsManager: res.ManagerSetup !== undefined, notes: res.Notes ?? [] }
}

/** A joining manager's config, server certificate and etcd material; returns the address it will serve at. */
export function writeManagerFiles(opts: Pick<JoinOptions, 'dataDir' | 'advertiseAddr' | 'engine'>, res: JoinResponse, listenAddr: string, key: string): string {
  const paths = dataPaths(opts.dataDir)
  const setup = res.ManagerSetup!
  const listen = parseManagerHost(listenAddr)
  const adv = opts.advertiseAddr ?? (listen.host !== '0.0.0.0' ? listen.host : hostOf(opts.engine.URL))
  replacePair(paths.serverKey, paths.serverCert, key, res.Cert)
  if (setup.KeyEncryptionKey) writeFile(paths.caKek, setup.KeyEncryptionKey + '\n', true)
  writeManagerConfig(opts.dataDir, {
    ClusterID: res.ClusterID, NodeID: res.NodeID, ListenAddr: `${listen.host}:${listen.port}`,
    AdvertiseAddr: adv, AdvertisePort: listen.port, HeartbeatMs: setup.HeartbeatMs,
    Store: writeStoreFiles(paths, setup.Store), ...(setup.LeaseSeconds ? { LeaseSeconds: setup.LeaseSeconds } : {}),
  })
  return `${adv}:${listen.port}`
}

// The CA the manager serves to joiners; the connection is not verified yet (that is what the digest is for).
function fetchCA(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/tsw/join/ca', rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => (res.statusCode === 200 && text.includes('BEGIN CERTIFICATE')
        ? resolve(text)
        : reject(new ConnectError(`${host}:${port} did not answer as a tsw manager (status ${res.statusCode})`))))
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (err) => reject(new ConnectError(`cannot reach the manager at ${host}:${port}: ${err.message}`)))
    req.end()
  })
}

/**
 * On the host of a promoted node: asks a manager for what this host's own
 * manager needs and writes it (config, serving certificate, etcd material).
 */
export async function setupPromotedManager(client: ManagerClient, opts: { dataDir: string; listenAddr?: string; advertiseAddr?: string }): Promise<void> {
  const keys = generateKeyPair()
  const listenAddr = opts.listenAddr ?? '0.0.0.0:2377'
  const res = await client.post<JoinResponse>('/tsw/manager-setup', {
    body: { PublicKey: keys.publicKeyPem, ListenAddr: listenAddr, AdvertiseAddr: opts.advertiseAddr },
  })
  const addr = opts.advertiseAddr ?? res.ManagerSetup?.AdvertiseAddr ?? client.host
  const served = writeManagerFiles({ dataDir: opts.dataDir, advertiseAddr: addr, engine: { URL: `tcp://${addr}` } }, res, listenAddr, keys.privateKeyPem)
  updateContext(opts.dataDir, { Manager: served, Role: 'manager' })
}
