// The manager process: opens the store, serves the API, and, while it leads,
// runs the control loop (dispatcher, orchestrator, scheduler, executor,
// updater, network agent). With the SQLite store it always leads; with etcd it
// campaigns with the other managers and leads only once elected (membership.ts),
// following otherwise: serving reads and forwarding writes to the leader.
// It runs no containers itself, so stopping it (even with SIGKILL) leaves every
// engine as it was; a manager that starts, or starts leading, picks up from the store.
import { rmSync } from 'node:fs'
import type { Server } from 'node:https'
import { buildApiServer, type ApiContext } from '../api/index.js'
import { lockedApiServer, type LockedApi } from '../api/locked.js'
import { handOver } from '../api/server.js'
import { ClassicSwarm } from '../classic/index.js'
import { loadCA, sealStoredCAKey, type StoredCA } from '../cluster/index.js'
import { dataPaths, readManagerConfig, readPair, type ManagerConfig } from '../config/index.js'
import { EnginePool } from '../engine/pool.js'
import { Executor } from '../executor/agent.js'
import { FailedPreconditionError } from '../errors/index.js'
import { ClusterEvents } from '../events/index.js'
import { startDnsServer, type DnsServer } from '../network/dns/index.js'
import { DnsSources } from '../network/dns-sources.js'
import { NameService } from '../network/names.js'
import { EtcdStore, type Store } from '../store/index.js'
import { splitHostPort } from './addresses.js'
import { CertRenewer } from './cert-renewer.js'
import { LeaderTerm } from './leader-term.js'
import { StoreCache } from '../store/cache.js'
import { LOOP_INDEXES, LOOP_KINDS } from '../orchestrator/index.js'
import { leaveAsLastManager } from './leave.js'
import { EtcdMembership, SoloMembership, type Membership } from './membership.js'
import { startObservability, type Observability } from './observability.js'
import { readKekFile, syncKekFile, watchUnlockKey } from './kek-file.js'
import { openStore } from './open-store.js'
import { isWrappedKek, SecretBox } from '../pki/index.js'
import { claimPidfile, releasePidfile } from './pidfile.js'
import { watchOwnRole, retire } from './retire.js'

export interface ManagerOptions {
  dataDir: string
  /** Overrides the heartbeat period of the config (ms). */
  heartbeatMs?: number
  /** Overrides the lease of the leader election (s). */
  leaseSeconds?: number
  /** Classic swarm: how new plain containers are placed (default spread). */
  strategy?: 'spread' | 'binpack' | 'random'
  /** Classic swarm: a file of engine addresses added as nodes at start. */
  enginesFile?: string
  /** Serve metrics and the cluster page here (HOST:PORT), instead of the config's MetricsAddr. */
  metricsAddr?: string
  log?: (msg: string) => void
}

/** The lease of the leader election unless the config or a flag says otherwise (s). */
export const DEFAULT_LEASE_SECONDS = 3

export class Manager {
  private store?: Store
  private server?: Server
  private dns?: DnsServer
  private certs?: CertRenewer
  private names?: NameService
  private dnsSources?: DnsSources
  private events?: ClusterEvents
  private observability?: Observability
  private membership?: Membership
  private term?: LeaderTerm
  private cache?: StoreCache
  /** Leadership changes, applied one after the other. */
  private transitions: Promise<void> = Promise.resolve()
  private unwatchRole?: () => void
  private unwatchKek?: () => void
  private syncKek?: () => Promise<void>
  private known = ''
  private lookTimer?: NodeJS.Timeout
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
    try {
      await this.serve(config)
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  private async serve(config: ManagerConfig): Promise<void> {
    const paths = dataPaths(this.opts.dataDir)
    const heartbeatMs = this.opts.heartbeatMs ?? config.HeartbeatMs
    const store = (this.store = await openStore(paths, config.ClusterID, config.Store))
    const locked = await this.waitForUnlock(store, config)
    await this.keepKekFile(store, config)
    if (await sealStoredCAKey(store)) this.log('the CA key in the store is sealed with the key-encryption key of the data dir (manager/ca-kek) from now on')
    const ca = await loadCA(store)
    const self = { NodeID: config.NodeID, Addr: `${config.AdvertiseAddr}:${config.AdvertisePort}` }
    const leaseSeconds = this.opts.leaseSeconds ?? config.LeaseSeconds ?? DEFAULT_LEASE_SECONDS
    // The executor the routes use (images, logs); the loop's own comes with each term.
    const tools = new Executor({ store, engines: this.engines, clusterId: config.ClusterID, log: this.log })
    // One copy of services, tasks, nodes and networks kept by the store's watch: the API's lists and the loops of each term read it.
    const cache = (this.cache = new StoreCache({ store, kinds: [...LOOP_KINDS, 'engine'], indexes: [...LOOP_INDEXES], log: this.log }))
    cache.start()
    // Every manager derives the swarm's events from its own store watch (GET /events).
    const events = (this.events = new ClusterEvents(store))
    await events.start()
    const membership = store instanceof EtcdStore ? new EtcdMembership(store, self, leaseSeconds) : new SoloMembership(self)
    this.membership = membership
    const ctx: ApiContext = {
      store, cache, config, ca, engines: this.engines, membership,
      knownManagers: () => this.known,
      managerTls: () => readPair(paths.serverKey, paths.serverCert),
      checkImage: (image, auth) => tools.checkImage(image, auth),
      distribution: (image, auth) => tools.distribution(image, auth),
      taskLogs: (task, opts, out, signal) => tools.taskLogs(task, opts, out, signal),
      events,
      classic: new ClassicSwarm({
        store, engines: this.engines, clusterId: config.ClusterID, strategy: this.opts.strategy ?? 'spread', log: this.log,
      }),
      log: this.log,
      syncKekFile: () => this.syncKek?.() ?? Promise.resolve(),
      shutdown: (wipe) => void (wipe ? this.leaveEngines(store, config) : Promise.resolve()).then(() => this.stop()).then(() => {
        if (wipe) for (const p of [paths.manager, paths.tls, paths.context]) rmSync(p, { recursive: true, force: true })
        process.exit(0)
      }),
    }
    const built = buildApiServer(ctx, { ...readPair(paths.serverKey, paths.serverCert), ca: ca.certPem })
    // A manager that was locked goes on serving on its port: nothing is refused while it starts.
    const server = (this.server = locked?.server ?? built)
    // Certificates renewed when due; the TLS context follows the root CA (rotation).
    await (this.certs = new CertRenewer({ store, ctx, server, dataDir: this.opts.dataDir, config, log: this.log })).start()
    const listen = splitHostPort(config.ListenAddr, 'listen address')
    if (locked) handOver(server, built)
    else await listenOn(server, listen)
    // Every manager answers service names (a read of the store); tasks ask all of them.
    this.names = new NameService(store, this.log)
    this.names.start()
    const names = this.names
    // Only the swarm's tasks and nodes are answered: no open resolver on the advertised address.
    const sources = (this.dnsSources = new DnsSources(store, this.log))
    sources.start()
    this.dns = await startDnsServer({
      host: config.AdvertiseAddr, port: 53, lookup: (name) => names.lookup(name), log: this.log, allow: (addr) => sources.allows(addr),
    })
      .catch((err: Error) => {
        this.log(`dns: cannot serve service names on ${config.AdvertiseAddr}:53 (${err.message}): tasks reach each other by address only`)
        return undefined
      })
    const metricsAddr = this.opts.metricsAddr ?? config.MetricsAddr
    if (metricsAddr) {
      this.observability = await startObservability({ addr: metricsAddr, store, events, membership, managerDir: paths.manager })
      this.log(`metrics on http://${metricsAddr}/metrics, cluster page on ${this.observability.pageUrl}`)
    }
    this.unwatchRole = watchOwnRole(store, config.NodeID, () => void this.retire(config))
    const termOptions = { store, cache, engines: this.engines, config, heartbeatMs, log: this.log, enginesFile: this.opts.enginesFile, workDir: paths.manager }
    const onLeadership = (leading: boolean) => {
      // Losing the lead stops the loops at once, not after a term still starting.
      if (!leading) this.term?.stop()
      this.transitions = this.transitions.then(async () => {
        if (!leading && this.term) {
          this.log(`no longer leading: control loop stopped`)
          const term = this.term
          this.term = undefined
          await term.stopped() // work under way ends before another term (here) begins
        }
        if (this.stopping || !leading || this.term || !membership.isLeader) return
        this.log(`leading the swarm: running the control loop`)
        const term = (this.term = new LeaderTerm(termOptions))
        try {
          await term.start()
        } catch (err) {
          // Leading with no loop helps nobody: try again while still leading.
          this.log(`leader: the control loop did not start (${(err as Error).message}); trying again in 1 s`)
          term.stop()
          await term.stopped()
          if (this.term === term) this.term = undefined
          setTimeout(() => onLeadership(membership.isLeader), 1000).unref()
        }
      })
    }
    // Who runs, for the X-Tsw-Managers header: looked up every 2 s rather than on each request.
    const look = () => membership.managers().then((list) => { this.known = list.map((m) => m.Addr).join(',') }, () => undefined)
    await look()
    this.lookTimer = setInterval(() => void look(), 2000)
    this.lookTimer.unref()
    membership.onChange(onLeadership)
    if (membership.isLeader) onLeadership(true)
    await this.transitions
    locked?.ready()
    const mode = config.Store ? `store etcd ${config.Store.URL}, lease ${leaseSeconds} s` : 'store SQLite'
    this.log(`manager ${config.NodeID} of swarm ${config.ClusterID} listening on ${config.ListenAddr} (heartbeat ${heartbeatMs} ms, ${mode})`)
  }

  /**
   * With autolock on and the KEK file wrapped (a restart), serves nothing but unlock
   * (api/locked.ts) until a caller gives the right key; then the store's secrets open.
   */
  private async waitForUnlock(store: Store, config: ManagerConfig): Promise<LockedApi | undefined> {
    const paths = dataPaths(this.opts.dataDir)
    const content = readKekFile(paths)
    if (!content || !isWrappedKek(content)) return undefined
    const root = await store.get<StoredCA>('ca', 'root')
    if (!root) throw new FailedPreconditionError('the store holds no CA: was this swarm initialised?')
    const locked = lockedApiServer(store, config, { ...readPair(paths.serverKey, paths.serverCert), ca: root.CertPem }, content)
    this.server = locked.server
    await listenOn(locked.server, splitHostPort(config.ListenAddr, 'listen address'))
    this.log(`manager ${config.NodeID} is locked (autolock): serving nothing but unlock on ${config.ListenAddr} until "swarm unlock" gives the unlock key`)
    store.secrets = new SecretBox(await locked.unlocked, config.ClusterID)
    this.log('unlocked: starting')
    return locked
  }

  // The KEK file follows the swarm's autolock (on, off, rotated) from now on, on every manager.
  private async keepKekFile(store: Store, config: ManagerConfig): Promise<void> {
    const paths = dataPaths(this.opts.dataDir)
    let chain = Promise.resolve()
    const sync = () => (chain = chain.then(() => syncKekFile(store, paths, config.ClusterID))
        .then((did) => { if (did) this.log(did) }, (err: Error) => this.log(`autolock: the key-encryption key file was not rewritten (${err.message})`)))
    this.syncKek = sync
    this.unwatchKek = watchUnlockKey(store, () => void sync())
    await sync()
  }

  /** Stops serving and closes the store; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.term?.stop()
      await this.transitions
      this.unwatchRole?.()
      this.unwatchKek?.()
      clearInterval(this.lookTimer)
      await this.term?.stopped()
      // Hands the leadership on at once rather than after the lease (a graceful stop).
      await Promise.race([this.membership?.leave().catch(() => undefined), sleep(1500)])
      this.certs?.stop()
      this.names?.stop()
      this.dnsSources?.stop()
      await this.observability?.stop()
      this.events?.stop()
      this.cache?.stop()
      await this.dns?.close()
      this.engines.closeAll()
      // Streams (logs -f, attach, wait) would hold close() forever: cut every connection first.
      const closed = new Promise<void>((resolve) => (this.server?.listening ? this.server.close(() => resolve()) : resolve()))
      this.server?.closeAllConnections()
      await Promise.race([closed, sleep(2000)])
      await Promise.race([this.store?.close(), sleep(2000)])
      releasePidfile(dataPaths(this.opts.dataDir).pidfile)
    })()
    return this.stopping
  }

  // The last manager leaves (swarm leave --force): the loops stop first, so nothing is made again behind the cleanup.
  private async leaveEngines(store: Store, config: ManagerConfig): Promise<void> {
    this.term?.stop()
    await this.term?.stopped()
    await leaveAsLastManager(store, config, this.log).catch((err: Error) => this.log(`leave: ${err.message}`))
  }

  // This manager's node was demoted (or removed): it stops being a manager.
  private async retire(config: ManagerConfig): Promise<void> {
    if (this.stopping) return
    this.log(`node ${config.NodeID} is no longer a manager: stopping this manager`)
    const others = (await this.membership?.managers().catch(() => []) ?? []).filter((m) => m.NodeID !== config.NodeID)
    await this.stop()
    retire(this.opts.dataDir, others[0]?.Addr)
    process.exit(0)
  }
}

function listenOn(server: Server, at: { host: string; port: number }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(at.port, at.host, () => resolve())
  })
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())
