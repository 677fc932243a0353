// swarm update, swarm join-token and node inspect run through oclif against a manager
// client whose transport is recorded: the typed calls (swarm, updateSwarm, info) and
// gatherArgs send what these commands always sent and print what docker prints.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import NodeInspect from '../../../src/commands/node/inspect.js'
import SwarmJoinToken from '../../../src/commands/swarm/join-token.js'
import SwarmUpdate from '../../../src/commands/swarm/update.js'
import { BaseCommand } from '../../../src/lib/cli/base.js'
import { ApiError, ManagerClient, type RequestOptions } from '../../../src/lib/client/client.js'
import type { SwarmSpec } from '../../../src/lib/types/index.js'
import { OCLIF_OPTIONS } from './oclif-options.js'

const SPEC: SwarmSpec = {
  Name: 'default', Labels: {}, Orchestration: { TaskHistoryRetentionLimit: 5 },
  Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
  Dispatcher: { HeartbeatPeriod: 5e9 }, CAConfig: { NodeCertExpiry: 7776000e9 }, TaskDefaults: {}, EncryptionConfig: { AutoLockManagers: false },
}

/** A manager that answers /swarm, /info and /nodes/{id} from memory; rotating a token changes it. */
class RecordedManager extends ManagerClient {
  calls: Array<{ method: string; path: string; opts: RequestOptions }> = []
  worker = 'SWMTKN-1-digest-worker1'
  constructor() {
    super('10.0.0.1', 2377, { ca: '' })
  }

  override async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method, path, opts: structuredClone(opts) })
    if (method === 'GET' && path === '/swarm') {
      return { ID: 'c1', Version: { Index: 41 }, Spec: structuredClone(SPEC), JoinTokens: { Worker: this.worker, Manager: 'SWMTKN-1-digest-manager1' } } as unknown as T
    }
    if (method === 'POST' && path === '/swarm/update') {
      if (opts.query?.rotateWorkerToken) this.worker = 'SWMTKN-1-digest-worker2'
      return undefined as T
    }
    if (path === '/info') return { Swarm: { NodeID: 'n1', RemoteManagers: [{ NodeID: 'n2', Addr: '10.0.0.2:2377' }, { NodeID: 'n1', Addr: '10.0.0.1:2377' }] } } as T
    if (path === '/nodes/n1') return { ID: 'n1', Spec: { Role: 'manager' } } as T
    throw new ApiError(`node ${decodeURIComponent(path.split('/')[2])} not found`, 404)
  }
}

let client: RecordedManager
let stdout: string
let stderr: string

beforeEach(() => {
  client = new RecordedManager()
  stdout = ''
  stderr = ''
  vi.spyOn(BaseCommand.prototype, 'client').mockImplementation(() => client)
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true })
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true })
})

afterEach(() => {
  vi.restoreAllMocks()
  process.exitCode = undefined
})

const sent = () => client.calls.map((c) => `${c.method} ${c.path}`)

describe('swarm commands on the typed client', () => {
  test('swarm update --cert-expiry writes the spec read, changed, at its version', async () => {
    await SwarmUpdate.run(['--cert-expiry', '720h'], OCLIF_OPTIONS)
    expect(sent()).toEqual(['GET /swarm', 'POST /swarm/update'])
    const post = client.calls[1].opts
    expect(post.query).toEqual({ version: 41 })
    expect(post.body).toEqual({ ...SPEC, CAConfig: { NodeCertExpiry: 720 * 3600e9 } })
    expect(stdout).toBe('Swarm updated.\n')
  })

  test('swarm join-token --rotate -q: the spec unchanged with the rotation flag, then the new token', async () => {
    await SwarmJoinToken.run(['--rotate', '-q', 'worker'], OCLIF_OPTIONS)
    expect(sent()).toEqual(['GET /swarm', 'POST /swarm/update', 'GET /swarm'])
    expect(client.calls[1].opts).toEqual({ query: { version: 41, rotateWorkerToken: true, rotateManagerToken: false }, body: SPEC })
    expect(stdout).toBe('SWMTKN-1-digest-worker2\n')
  })

  test('swarm join-token manager: the command to run, at the answering manager\'s address', async () => {
    await SwarmJoinToken.run(['manager'], OCLIF_OPTIONS)
    expect(stdout).toBe('To add a manager to this swarm, run the following command:\n\n    tsw swarm join --token SWMTKN-1-digest-manager1 10.0.0.1:2377\n\n')
    expect(sent()).toEqual(['GET /swarm', 'GET /info'])
  })

  test('node inspect: the nodes found, then an error line per missing one, exit 1', async () => {
    await NodeInspect.run(['--format', '{{.ID}} {{.Spec.Role}}', 'self', 'ghost', 'n1'], OCLIF_OPTIONS)
    expect(stdout).toBe('n1 manager\nn1 manager\n')
    expect(stderr).toBe('Error response from daemon: node ghost not found\n')
    expect(process.exitCode).toBe(1)
  })
})
