// The last manager leaving (swarm leave --force): the swarm ends, so what it
// made on its engines goes too (network/teardown.ts), as dockerd removes a
// leaving node's tasks. A manager of a swarm that other managers keep on
// (etcd) leaves every engine as it is: the swarm still runs on them.
import type { StoredEngine } from '../engine/record.js'
import { dataPaths, readManagerConfig, type ManagerConfig } from '../config/index.js'
import { leaveEngines } from '../network/teardown.js'
import type { Store } from '../store/index.js'
import type { Node } from '../types/index.js'
import { openStore } from './open-store.js'

/** The engines to clean when manager `config` leaves: all of the swarm's when it is the last manager, else none. */
export function enginesToLeave(config: ManagerConfig, nodes: Node[], engines: StoredEngine[]): StoredEngine[] {
  // On SQLite this process is the only manager there can be (other manager nodes run none).
  const others = config.Store ? nodes.filter((n) => n.Spec.Role === 'manager' && n.ID !== config.NodeID) : []
  return others.length ? [] : engines
}

/** Cleans the swarm's engines from an open store when this is its last manager; returns a line per engine not cleaned. */
export async function leaveAsLastManager(store: Store, config: ManagerConfig, log: (msg: string) => void): Promise<string[]> {
  const [nodes, engines] = await Promise.all([store.list<Node>('node'), store.list<StoredEngine>('engine')])
  return leaveEngines(enginesToLeave(config, nodes, engines), config.ClusterID, log)
}

/**
 * The same from a host whose manager has stopped (the CLI's swarm leave
 * --force): opens the data dir's store itself. Returns a line per engine not
 * cleaned, or why the store could not be read.
 */
export async function leaveFromDataDir(dataDir: string): Promise<string[]> {
  const config = readManagerConfig(dataDir)
  if (!config) return []
  let store: Store
  try {
    store = await openStore(dataPaths(dataDir), config.ClusterID, config.Store)
  } catch (err) {
    return [`the swarm's engines were not cleaned (its store: ${(err as Error).message}): a swarm that joins them later removes what is left`]
  }
  try {
    return await leaveAsLastManager(store, config, () => {})
  } finally {
    await store.close()
  }
}
