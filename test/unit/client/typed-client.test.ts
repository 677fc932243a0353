// The typed calls of ManagerClient (swarm, updateSwarm, info) against a recorded transport:
// what goes out on the wire (path, version query, body) and what comes back.
import { describe, expect, test } from 'vitest'
import { ApiError, ManagerClient, type RequestOptions } from '../../../src/lib/client/client.js'
import type { Swarm, SwarmSpec } from '../../../src/lib/types/index.js'

const SPEC: SwarmSpec = {
  Name: 'default', Labels: {}, Orchestration: { TaskHistoryRetentionLimit: 5 },
  Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
  Dispatcher: { HeartbeatPeriod: 5e9 }, CAConfig: { NodeCertExpiry: 7776000e9 }, TaskDefaults: {}, EncryptionConfig: { AutoLockManagers: false },
}

/** A client whose requests are answered by `answer` and recorded, no network. */
class RecordingClient extends ManagerClient {
  calls: Array<{ method: string; path: string; opts: RequestOptions }> = []
  constructor(private readonly answer: (method: string, path: string, opts: RequestOptions) => unknown) {
    super('127.0.0.1', 2377, { ca: '' })
  }

  override async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method, path, opts: structuredClone(opts) })
    return this.answer(method, path, opts) as T
  }
}

const swarm = (index: number): Swarm => ({
  ID: 'cluster1', Version: { Index: index }, CreatedAt: '', UpdatedAt: '', Spec: structuredClone(SPEC),
  TLSInfo: { TrustRoot: 'root', CertIssuerSubject: 's', CertIssuerPublicKey: 'k' }, RootRotationInProgress: false,
  DefaultAddrPool: [], SubnetSize: 24, DataPathPort: 4789, JoinTokens: { Worker: 'SWMTKN-1-w', Manager: 'SWMTKN-1-m' },
})

describe('ManagerClient typed calls', () => {
  test('updateSwarm writes the changed copy of the spec at the version it read', async () => {
    const read = swarm(41)
    const client = new RecordingClient((method) => (method === 'GET' ? read : undefined))
    const got = await client.updateSwarm((spec) => { spec.CAConfig.NodeCertExpiry = 1 })
    expect(got.Version.Index).toBe(41)
    expect(client.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /swarm', 'POST /swarm/update'])
    const post = client.calls[1].opts
    expect(post.query).toEqual({ version: 41 })
    expect((post.body as SwarmSpec).CAConfig.NodeCertExpiry).toBe(1)
    // The swarm it resolves with is the one read, not edited in place.
    expect(got.Spec.CAConfig.NodeCertExpiry).toBe(7776000e9)
  })

  test('updateSwarm takes the spec `change` returns, and the rotation flags', async () => {
    const client = new RecordingClient((method) => (method === 'GET' ? swarm(7) : undefined))
    await client.updateSwarm((_spec, s) => ({ ...s.Spec, Name: 'other' }), { rotateWorkerToken: true, rotateManagerToken: false })
    expect(client.calls[1].opts).toEqual({ query: { version: 7, rotateWorkerToken: true, rotateManagerToken: false }, body: { ...SPEC, Name: 'other' } })
  })

  test('updateSwarm rejects with the manager\'s answer to an out-of-date version', async () => {
    const client = new RecordingClient((method) => {
      if (method === 'GET') return swarm(3)
      throw new ApiError('update out of sequence', 409)
    })
    await expect(client.updateSwarm(() => {})).rejects.toThrow(new ApiError('update out of sequence', 409))
  })

  test('swarm and info read GET /swarm and GET /info', async () => {
    const info = { ID: 'n1', Name: 'node01', TswStore: 'etcd', Swarm: { NodeID: 'n1', NodeAddr: '10.0.0.1', RemoteManagers: [{ NodeID: 'n1', Addr: '10.0.0.1:2377' }], Nodes: 3, Managers: 1 } }
    const client = new RecordingClient((_m, path) => (path === '/swarm' ? swarm(2) : info))
    expect((await client.swarm()).JoinTokens.Worker).toBe('SWMTKN-1-w')
    expect((await client.info()).Swarm.RemoteManagers[0].Addr).toBe('10.0.0.1:2377')
    expect(client.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /swarm', 'GET /info'])
  })
})
