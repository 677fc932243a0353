// The join handshake, joiner side: fetch the manager's CA, check it against
// the digest in the token before sending anything, then send the join request
// over a connection that trusts only that CA.
import { request } from 'node:https'
import { writeContext } from '../config/index.js'
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
  dataDir: string
}

/** Joins this host's engine to the swarm; writes the context; returns the role it joined as. */
export async function joinSwarm(opts: JoinOptions): Promise<{ nodeId: string; role: NodeRole }> {
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
  const res = await client.post<{ NodeID: string; Role: NodeRole; ClusterID: string; CACert: string; Cert: string }>('/tsw/join', {
    body: { Token: opts.token, Engine: opts.engine, AdvertiseAddr: opts.advertiseAddr, PublicKey: keys.publicKeyPem },
  })
  writeContext(opts.dataDir, { Manager: `${host}:${port}`, ClusterID: res.ClusterID, NodeID: res.NodeID, Role: res.Role },
    { ca: res.CACert, cert: res.Cert, key: keys.privateKeyPem })
  return { nodeId: res.NodeID, role: res.Role }
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
