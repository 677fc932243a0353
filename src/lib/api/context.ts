import type { ManagerConfig } from '../config/index.js'
import type { EnginePool } from '../dispatcher/index.js'
import type { CertAndKey } from '../pki/index.js'
import type { Store } from '../store/index.js'

/** What the routes need of the running manager. */
export interface ApiContext {
  store: Store
  config: ManagerConfig
  ca: CertAndKey
  engines: EnginePool
  /** Stops the manager; with `wipe`, its state is deleted (swarm leave --force). */
  shutdown(wipe: boolean): void
}

/** host:port other nodes reach this manager at. */
export function managerAddr(ctx: ApiContext): string {
  return `${ctx.config.AdvertiseAddr}:${ctx.config.AdvertisePort}`
}
