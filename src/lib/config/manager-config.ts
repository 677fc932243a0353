// The manager's own settings, fixed at `swarm init` and read at every start.
import { dataPaths } from './paths.js'
import { readJson } from './files.js'
import { replaceFile } from './tls-bundle.js'

export interface ManagerConfig {
  ClusterID: string
  /** The node this manager runs for (its engine is the local one). */
  NodeID: string
  ListenAddr: string
  AdvertiseAddr: string
  /** The port other nodes reach this manager at (the listen port unless advertised otherwise). */
  AdvertisePort: number
  /** Heartbeat period in milliseconds. */
  HeartbeatMs: number
  /** Where the cluster state lives: absent for the SQLite file in the data dir. */
  Store?: StoreConfig
  /** The lease of the leader election (several managers on etcd), seconds. */
  LeaseSeconds?: number
  /** Where the manager serves Prometheus metrics and the cluster page over plain HTTP (HOST:PORT), if anywhere. */
  MetricsAddr?: string
}

/** An etcd store: its URL (etcd://h1:2379,h2:2379) and TLS files as etcd's clients take them. */
export interface StoreConfig {
  URL: string
  CACert?: string
  Cert?: string
  Key?: string
}

/** The manager config of a data dir, or undefined when none was initialised there. */
export function readManagerConfig(dataDir: string): ManagerConfig | undefined {
  return readJson<ManagerConfig>(dataPaths(dataDir).managerConfig)
}

/** Writes the config whole (beside, then renamed): a manager killed meanwhile finds the old one or the new one. */
export function writeManagerConfig(dataDir: string, cfg: ManagerConfig): void {
  replaceFile(dataPaths(dataDir).managerConfig, JSON.stringify(cfg, null, 2) + '\n', 0o644)
}
