import type { ClassicSwarm } from '../classic/index.js'
import type { ManagerConfig } from '../config/index.js'
import type { EnginePool } from '../engine/pool.js'
import type { CertAndKey } from '../pki/index.js'
import type { Store, StoreCache } from '../store/index.js'
import type { ClusterEvents } from '../events/index.js'
import type { RunningManager } from '../cluster/index.js'

/** What the routes need of the running manager. */
export interface ApiContext {
  store: Store
  /** Services, tasks (by service and node), nodes and networks as the store's watch keeps them: the lists read it (default: the store). */
  cache?: StoreCache
  config: ManagerConfig
  /** The root CA that signs now (replaced in place when it is rotated). */
  ca: CertAndKey
  /** The manager's certificate renewer: refresh() applies a new root CA before a route answers. */
  certs?: { refresh(): Promise<void> }
  engines: EnginePool
  /** This manager's own key and certificate (PEM), with which it forwards to the leader. */
  managerTls(): { key: string; cert: string }
  /** Which managers run now (the leader first), and whether this one leads. */
  membership: { readonly isLeader: boolean; managers(): Promise<RunningManager[]> }
  /** The running managers' addresses, comma-separated, as last seen (no store call): the X-Tsw-Managers header. */
  knownManagers?: () => string
  /** Checks that an image can be had (pulled, with `registryAuth` if given, or found) on some ready engine; throws with the reason when not. */
  checkImage(image: string, registryAuth?: string): Promise<void>
  /** The registry's descriptor of an image (GET /distribution/{name}/json), asked through a ready engine. */
  distribution(image: string, registryAuth?: string): Promise<unknown>
  /** Streams a task's container logs as docker's multiplexed frames, each line prefixed with the task's details. */
  taskLogs(task: import('../types/index.js').Task, opts: LogOptions, out: NodeJS.WritableStream, signal: AbortSignal): Promise<void>
  /** Classic swarm: plain containers placed on the swarm's engines (the container, exec and image routes). */
  classic: ClassicSwarm
  /** The manager's log (default: stderr). */
  log?: (msg: string) => void
  /** The swarm's events as this manager saw them (GET /events). */
  events?: ClusterEvents
  /** Rewrites this manager's KEK file as the swarm's autolock now asks (before an update answers). */
  syncKekFile?: () => Promise<void>
  /** Stops the manager; with `wipe`, its state is deleted (swarm leave --force). */
  shutdown(wipe: boolean): void
}

/** Writes to the manager's log. */
export function logOf(ctx: ApiContext): (msg: string) => void {
  return ctx.log ?? ((msg) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`))
}

/** host:port other nodes reach this manager at. */
export function managerAddr(ctx: ApiContext): string {
  return `${ctx.config.AdvertiseAddr}:${ctx.config.AdvertisePort}`
}

export interface LogOptions {
  follow: boolean
  tail?: number
  timestamps: boolean
  details: boolean
  since?: number
}
