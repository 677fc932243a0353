// A locked manager's API (autolock on, after a restart): it answers _ping,
// /version, /info (LocalNodeState "locked") and POST /swarm/unlock, and every other
// call with dockerd's 503 "Swarm is encrypted…", until the right unlock key is given.
import type { Server } from 'node:https'
import type { ManagerConfig } from '../config/index.js'
import { ConflictError, UnavailableError } from '../errors/index.js'
import { unwrapKek } from '../pki/index.js'
import type { Store } from '../store/index.js'
import { authorizer } from './authorize.js'
import { version } from './routes/system.js'
import { Router } from './router.js'
import { createApiServer, type ServerTls } from './server.js'

/** dockerd's answer to any call but unlock while the swarm is locked (errSwarmLocked, 503). */
export const SWARM_LOCKED = 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.'

export interface LockedApi {
  server: Server
  /** Resolves with the KEK once a caller gave the right unlock key. */
  unlocked: Promise<string>
  /** Lets the unlock call answer: the manager serves everything now. */
  ready(): void
}

/** The locked manager's server (not listening yet), opening `wrapped` (the KEK file) with the key a caller gives. */
export function lockedApiServer(store: Store, config: ManagerConfig, tls: ServerTls, wrapped: string): LockedApi {
  let resolveKek!: (kek: string) => void
  let resolveReady!: () => void
  const unlocked = new Promise<string>((r) => (resolveKek = r))
  const served = new Promise<void>((r) => (resolveReady = r))
  let opened = false
  const router = new Router()
  router.add('GET', '/_ping', () => ({
    text: 'OK', headers: { 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Docker-Experimental': 'false', Ostype: 'linux', Swarm: 'locked' },
  }), true)
  router.add('GET', '/version', () => ({ body: version() }))
  router.add('GET', '/info', () => ({
    body: {
      ID: config.NodeID, Name: '', ServerVersion: version().Version + '-tsw', OperatingSystem: 'tsw swarm manager', OSType: 'linux',
      TswStore: config.Store ? 'etcd' : 'sqlite',
      Swarm: {
        NodeID: config.NodeID, NodeAddr: config.AdvertiseAddr, LocalNodeState: opened ? 'active' : 'locked',
        ControlAvailable: false, Error: opened ? '' : SWARM_LOCKED, RemoteManagers: null,
      },
    },
  }))
  router.add('POST', '/swarm/unlock', async (req) => {
    if (opened) throw new ConflictError('swarm is not locked')
    const key = String((req.body as { UnlockKey?: unknown } | undefined)?.UnlockKey ?? '')
    const kek = unwrapKek(wrapped, key, config.ClusterID)
    opened = true
    resolveKek(kek)
    await served
    return {}
  })
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    router.add(method, '/*', () => {
      throw new UnavailableError(SWARM_LOCKED)
    })
  }
  const server = createApiServer(tls, router, authorizer(store))
  return { server, unlocked, ready: resolveReady }
}
