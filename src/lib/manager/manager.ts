// The manager process: opens the store, serves the API, runs the dispatcher.
// It runs no containers itself, so stopping it (even with SIGKILL) leaves every
// engine as it was; starting it again picks up from the store.
import { readFileSync, rmSync } from 'node:fs'
import type { Server } from 'node:https'
import { buildApiServer, type ApiContext } from '../api/index.js'
import { ClassicSwarm } from '../classic/index.js'
import { addEngineNode, loadCA, readEnginesFile, type StoredEngine } from '../cluster/index.js'
import { dataPaths, readManagerConfig, type ManagerConfig } from '../config/index.js'
import { Dispatcher, EnginePool } from '../dispatcher/index.js'
import { Executor } from '../executor/agent.js'
import { Orchestrator, Updater } from '../orchestrator/index.js'
import { NetworkAllocator } from '../network/allocator.js'
import { ensureIngress } from '../cluster/networks.js'
import { NetAgent } from '../network/agent.js'
import { startDnsServer, type DnsServer } from '../network/dns/index.js'
import { NameService } from '../network/names.js'
import { SchedulerLoop } from '../scheduler/loop.js'
import { FailedPreconditionError } from '../errors/index.js'
import { modify, SqliteStore, type Store } from '../store/index.js'
import type { Node } from '../types/index.js'
import { splitHostPort } from './addresses.js'
import { claimPidfile, releasePidfile } from './pidfile.js'
import { CertRenewer } from './cert-renewer.js'

export interface ManagerOptions {
  dataDir: string
  /** Overrides the heartbeat period of the config (ms). */
  heartbeatMs?: number
  /** Classic swarm: how new plain containers are placed (default spread). */
  strategy?: 'spread' | 'binpack' | 'random'
  /** Classic swarm: a file of engine addresses added as nodes at start. */
  enginesFile?: string
  log?: (msg: string) => void
}

export class Manager {
  private store?: Store
  private server?: Server
  private dispatcher?: Dispatcher
  private dns?: DnsServer
  private certs?: CertRenewer
  private loops: Array<{ start(): void; stop(): void }> = []
  private readonly engines = new EnginePool()
  private readonly log: (msg: string) => void
  private stopping?: Promise<void>

  constructor(private readonly opts: ManagerOptions) {
    this.log = opts.log ?? ((msg) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`))
  }

  /** Starts serving; resolves once the API listens. Throws if the data dir holds no swarm or a manager already runs. */
  async start(): Promise<void> {
    const { dataDir } = this.opts
    const config = readManagerConfig(dataDir)
    if (!config) throw new FailedPreconditionError(`no swarm in ${dataDir}: run "tsw swarm init --data-dir ${dataDir}" first`)
    const paths = dataPaths(dataDir)
    claimPidfile(paths.pidfile)
    const heartbeatMs = this.opts.heartbeatMs ?? config.HeartbeatMs
    const store = (this.store = new SqliteStore(paths.db))
    const ca = await loadCA(store)
    await this.markLeader(store, config)
    const netAgent = new NetAgent({ store, engines: this.engines, clusterId: config.ClusterID, workDir: paths.manager, log: this.log })
    const executor = new Executor({
      store, engines: this.engines, clusterId: config.ClusterID, log: this.log,
      onEngineSignal: (nodeId) => {
        this.dispatcher?.suspect(nodeId)
        netAgent.forget(nodeId)
      },
      networks: netAgent, dnsServers: [config.AdvertiseAddr],
    })
    const ctx: ApiContext = {
      store, config, ca, engines: this.engines,
      checkImage: (image) => executor.checkImage(image),
      distribution: (image) => executor.distribution(image),
      taskLogs: (task, opts, out, signal) => executor.taskLogs(task, opts, out, signal),
      classic: new ClassicSwarm({
        store, engines: this.engines, clusterId: config.ClusterID, strategy: this.opts.strategy ?? 'spread', log: this.log,
      }),
      shutdown: (wipe) => void this.stop().then(() => {
        if (wipe) for (const p of [paths.manager, paths.tls, paths.context]) rmSync(p, { recursive: true, force: true })
        process.exit(0)
      }),
    }
    const server = (this.server = buildApiServer(ctx, {
      key: readFileSync(paths.serverKey, 'utf8'), cert: readFileSync(paths.serverCert, 'utf8'), ca: ca.certPem,
    }))
    // Certificates renewed when due; the TLS context follows the root CA (rotation).
    await (this.certs = new CertRenewer({ store, ctx, server, dataDir, config, log: this.log })).start()
    const listen = splitHostPort(config.ListenAddr, 'listen address')
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(listen.port, listen.host, () => resolve())
    })
    this.dispatcher = new Dispatcher({ store, engines: this.engines, periodMs: heartbeatMs, log: this.log })
    this.dispatcher.start()
    await ensureIngress(store)
    const allocator = new NetworkAllocator()
    const names = new NameService(store, this.log)
    this.dns = await startDnsServer({ host: config.AdvertiseAddr, port: 53, lookup: (name) => names.lookup(name), log: this.log })
      .catch((err: Error) => {
        this.log(`dns: cannot serve service names on ${config.AdvertiseAddr}:53 (${err.message}): tasks reach each other by address only`)
        return undefined
      })
    this.loops = [
      new Orchestrator({ store, log: this.log, allocator }),
      new SchedulerLoop({ store, log: this.log }),
      executor,
      new Updater({ store, log: this.log, allocator }),
      netAgent,
      names,
    ]
    for (const loop of this.loops) loop.start()
    if (this.opts.enginesFile) await this.addEngines(store, this.opts.enginesFile)
    this.log(`manager ${config.NodeID} of swarm ${config.ClusterID} listening on ${config.ListenAddr} (heartbeat ${heartbeatMs} ms)`)
  }

  /** Stops serving and closes the store; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.dispatcher?.stop()
      this.certs?.stop()
      for (const loop of this.loops) loop.stop()
      await this.dns?.close()
      this.engines.closeAll()
      // Streams (logs -f, attach, wait) would hold close() forever: cut every connection first.
      const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
      this.server?.closeAllConnections()
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))])
      await this.store?.close()
      releasePidfile(dataPaths(this.opts.dataDir).pidfile)
    })()
    return this.stopping
  }

  // Engines listed in a file become nodes (those already in the swarm are left as they are).
  private async addEngines(store: Store, file: string): Promise<void> {
    const engines = await store.list<StoredEngine>('engine')
    for (const ref of readEnginesFile(file)) {
      if (engines.some((e) => e.Ref.URL === ref.URL && !e.Left)) continue
      try {
        const node = await addEngineNode({ store, probe: (r) => this.engines.probe(r, 10_000) }, ref)
        this.log(`engines file: added ${ref.URL} as node ${node.ID} (${node.Description.Hostname})`)
      } catch (err) {
        this.log(`engines file: ${ref.URL} not added: ${(err as Error).message}`)
      }
    }
  }

  // This process leads: its node says so (a restart after a crash keeps it that way).
  private async markLeader(store: Store, config: ManagerConfig): Promise<void> {
    await modify<Node>(store, 'node', config.NodeID, (n) => {
      n.ManagerStatus = { Leader: true, Reachability: 'reachable', Addr: `${config.AdvertiseAddr}:${config.AdvertisePort}` }
    })
  }
}
