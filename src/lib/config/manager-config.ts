// The manager's own settings, fixed at `swarm init` and read at every start.
import { dataPaths } from './paths.js'
import { readJson, writeFile } from './files.js'

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
}

/** The manager config of a data dir, or undefined when none was initialised there. */
export function readManagerConfig(dataDir: string): ManagerConfig | undefined {
  return readJson<ManagerConfig>(dataPaths(dataDir).managerConfig)
}

export function writeManagerConfig(dataDir: string, cfg: ManagerConfig): void {
  writeFile(dataPaths(dataDir).managerConfig, JSON.stringify(cfg, null, 2) + '\n')
}
